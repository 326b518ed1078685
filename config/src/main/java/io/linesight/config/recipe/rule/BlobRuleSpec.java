/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * Threshold the ROI and count the blobs that pass the filters.
 *
 * @param threshold      {@code fixed} at {@code thresholdValue}, {@code otsu}, or {@code adaptive}
 * @param thresholdValue the fixed threshold (in pixel units of the frame's format)
 * @param polarity       {@code dark}: blobs darker than the threshold; {@code bright}: brighter
 * @param minArea        blobs smaller than this (px²) are ignored
 * @param maxArea        blobs larger than this (px²) are ignored
 * @param minCircularity blobs less circular (4πA/P², 1 for a disc) are ignored
 * @param minCount       fewer counted blobs fail the rule (presence)
 * @param maxCount       more counted blobs fail the rule (defects)
 * @param maxLargestArea the largest counted blob may not exceed this (px²)
 * @param maxTotalArea   the counted blobs together may not exceed this (px²)
 */
@TypeName("blob")
public record BlobRuleSpec(
        String name,
        String shot,
        Roi roi,
        @Default("fixed") Threshold threshold,
        @Default("128") @Range(min = 0, max = 65535) int thresholdValue,
        @Default("dark") Polarity polarity,
        @Default("0") @Range(min = 0, max = 1e12) double minArea,
        @Default("1e12") @Range(min = 0, max = 1e12) double maxArea,
        @Default("0") @Range(min = 0, max = 1) double minCircularity,
        @Default("0") @Range(min = 0, max = 1_000_000) int minCount,
        @Default("1000000") @Range(min = 0, max = 1_000_000) int maxCount,
        @Nullable Double maxLargestArea,
        @Nullable Double maxTotalArea) implements RuleSpec {

    public enum Threshold { FIXED, OTSU, ADAPTIVE }

    public enum Polarity { DARK, BRIGHT }

    public BlobRuleSpec {
        if (minCount > maxCount) {
            throw new IllegalArgumentException("minCount (" + minCount + ") must not exceed maxCount (" + maxCount + ")");
        }
        if (minArea > maxArea) {
            throw new IllegalArgumentException("minArea must not exceed maxArea");
        }
    }
}
