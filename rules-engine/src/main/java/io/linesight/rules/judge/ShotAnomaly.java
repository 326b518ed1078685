/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

/**
 * What a shot's anomaly model found: the image score against the threshold in force, the most anomalous region, and
 * the anomaly map that the operator sees as a heat map. All positions are frame pixels.
 *
 * @param shot       the shot scored
 * @param score      the image score: the largest patch distance to the good parts' memory bank
 * @param threshold  the recipe's threshold; the part is anomalous when {@code score > threshold} (or either is NaN)
 * @param region     the connected patches above the threshold around the map's peak (the peak patch alone when
 *                   nothing is above it), in frame pixels
 * @param area       the frame area the map covers (the recipe's ROI, or the whole frame)
 * @param gridWidth  the map's width in patches
 * @param gridHeight the map's height in patches
 * @param map        patch scores, row-major {@code gridHeight x gridWidth}; not copied, never changed
 */
public record ShotAnomaly(String shot, double score, double threshold, Box region, Box area, int gridWidth,
                          int gridHeight, float[] map) {

    /** An axis-aligned box in frame pixels. */
    public record Box(int x, int y, int width, int height) {
    }

    public ShotAnomaly {
        if (map.length != gridWidth * gridHeight) {
            throw new IllegalArgumentException("anomaly map has " + map.length + " values, not " + gridWidth + "x" + gridHeight);
        }
    }

    /** Above the threshold; a score or threshold that is not a number counts as anomalous, never as good. */
    public boolean anomalous() {
        return !(score <= threshold);
    }
}
