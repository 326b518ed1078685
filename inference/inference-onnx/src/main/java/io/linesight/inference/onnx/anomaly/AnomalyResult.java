/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

/**
 * One image's anomaly score and map.
 *
 * @param score       the image score: the largest patch distance to the good memory bank
 * @param threshold   the model's threshold; {@code anomalous} is {@code score > threshold}
 * @param gridWidth   the map's width in patches (input width / 8 for stride-8 features)
 * @param gridHeight  the map's height in patches
 * @param map         patch scores, row-major {@code gridHeight x gridWidth}, lightly smoothed
 * @param region      the most anomalous region in image pixels: the connected patches above the threshold around the
 *                    peak, or the peak patch alone when nothing is above it
 */
public record AnomalyResult(double score, double threshold, boolean anomalous, int imageWidth, int imageHeight,
                            int gridWidth, int gridHeight, float[] map, Region region) {

    /** An axis-aligned box in image pixels. */
    public record Region(int x, int y, int width, int height) {
        public boolean contains(int px, int py) {
            return px >= x && px < x + width && py >= y && py < y + height;
        }
    }

    /** The map resized bilinearly to {@code width x height} (e.g. the image's size, for overlays or pixel AUROC). */
    public float[] mapAt(int width, int height) {
        float[] out = new float[width * height];
        PatchFeatures.resizePlanes(map, 1, gridHeight, gridWidth, out, height, width);
        return out;
    }

    /** The peak of the map, in image pixels ({x, y}: the centre of the peak patch). */
    public int[] peak() {
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        return new int[] {(int) ((best % gridWidth + 0.5) * imageWidth / gridWidth),
            (int) ((best / gridWidth + 0.5) * imageHeight / gridHeight)};
    }
}
