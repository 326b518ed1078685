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
 * @param minPerimeter   blobs with a shorter outline (px) are ignored
 * @param maxPerimeter   blobs with a longer outline (px) are ignored
 * @param minElongation  blobs less elongated are ignored (long/short side of the minimum-area rectangle, 1 = square)
 * @param maxElongation  blobs more elongated are ignored
 * @param minWidth       blobs whose bounding box is narrower (px) are ignored
 * @param maxWidth       blobs whose bounding box is wider (px) are ignored
 * @param minHeight      blobs whose bounding box is lower (px) are ignored
 * @param maxHeight      blobs whose bounding box is higher (px) are ignored
 * @param adaptiveBlock  neighbourhood (odd, px) of the adaptive threshold
 * @param adaptiveOffset how far (grey levels, 8-bit scale) a pixel must differ from its neighbourhood mean
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
        @Range(min = 0, max = 1e12) @Nullable Double maxLargestArea,
        @Range(min = 0, max = 1e12) @Nullable Double maxTotalArea,
        @Default("0") @Range(min = 0, max = 1e9) double minPerimeter,
        @Default("1e9") @Range(min = 0, max = 1e9) double maxPerimeter,
        @Default("1") @Range(min = 1, max = 1e6) double minElongation,
        @Default("1e6") @Range(min = 1, max = 1e6) double maxElongation,
        @Default("0") @Range(min = 0, max = 16384) int minWidth,
        @Default("16384") @Range(min = 0, max = 16384) int maxWidth,
        @Default("0") @Range(min = 0, max = 16384) int minHeight,
        @Default("16384") @Range(min = 0, max = 16384) int maxHeight,
        @Default("51") @Range(min = 3, max = 1001) int adaptiveBlock,
        @Default("10") @Range(min = -255, max = 255) double adaptiveOffset) implements RuleSpec {

    public enum Threshold { FIXED, OTSU, ADAPTIVE }

    public enum Polarity { DARK, BRIGHT }

    public BlobRuleSpec {
        if (minCount > maxCount) {
            throw new IllegalArgumentException("minCount (" + minCount + ") must not exceed maxCount (" + maxCount + ")");
        }
        if (minArea > maxArea) {
            throw new IllegalArgumentException("minArea must not exceed maxArea");
        }
        if (minPerimeter > maxPerimeter || minElongation > maxElongation || minWidth > maxWidth || minHeight > maxHeight) {
            throw new IllegalArgumentException("each min… filter must not exceed its max…");
        }
        if (adaptiveBlock % 2 == 0) {
            throw new IllegalArgumentException("adaptiveBlock (" + adaptiveBlock + ") must be odd");
        }
    }

    /** Whether any shape filter beyond area is set (they need the outline, which costs time). */
    public boolean filtersShape() {
        return minCircularity > 0 || minPerimeter > 0 || maxPerimeter < 1e9 || minElongation > 1 || maxElongation < 1e6;
    }

    public static Builder builder(String name, String shot, Roi roi) {
        return new Builder(name, shot, roi);
    }

    /** The defaults of the YAML form, for code that builds specs (tests, the teach tool). */
    public static final class Builder {
        private final String name;
        private final String shot;
        private Roi roi;
        private Threshold threshold = Threshold.FIXED;
        private int thresholdValue = 128;
        private Polarity polarity = Polarity.DARK;
        private double minArea;
        private double maxArea = 1e12;
        private double minCircularity;
        private int minCount;
        private int maxCount = 1_000_000;
        private @Nullable Double maxLargestArea;
        private @Nullable Double maxTotalArea;
        private double minPerimeter;
        private double maxPerimeter = 1e9;
        private double minElongation = 1;
        private double maxElongation = 1e6;
        private int minWidth;
        private int maxWidth = 16384;
        private int minHeight;
        private int maxHeight = 16384;
        private int adaptiveBlock = 51;
        private double adaptiveOffset = 10;

        private Builder(String name, String shot, Roi roi) {
            this.name = name;
            this.shot = shot;
            this.roi = roi;
        }

        public Builder roi(Roi v) { roi = v; return this; }
        public Builder threshold(Threshold v) { threshold = v; return this; }
        public Builder thresholdValue(int v) { thresholdValue = v; return this; }
        public Builder polarity(Polarity v) { polarity = v; return this; }
        public Builder minArea(double v) { minArea = v; return this; }
        public Builder maxArea(double v) { maxArea = v; return this; }
        public Builder minCircularity(double v) { minCircularity = v; return this; }
        public Builder minCount(int v) { minCount = v; return this; }
        public Builder maxCount(int v) { maxCount = v; return this; }
        public Builder maxLargestArea(@Nullable Double v) { maxLargestArea = v; return this; }
        public Builder maxTotalArea(@Nullable Double v) { maxTotalArea = v; return this; }
        public Builder minPerimeter(double v) { minPerimeter = v; return this; }
        public Builder maxPerimeter(double v) { maxPerimeter = v; return this; }
        public Builder minElongation(double v) { minElongation = v; return this; }
        public Builder maxElongation(double v) { maxElongation = v; return this; }
        public Builder minWidth(int v) { minWidth = v; return this; }
        public Builder maxWidth(int v) { maxWidth = v; return this; }
        public Builder minHeight(int v) { minHeight = v; return this; }
        public Builder maxHeight(int v) { maxHeight = v; return this; }
        public Builder adaptive(int block, double offset) { adaptiveBlock = block; adaptiveOffset = offset; return this; }

        public BlobRuleSpec build() {
            return new BlobRuleSpec(name, shot, roi, threshold, thresholdValue, polarity, minArea, maxArea, minCircularity,
                    minCount, maxCount, maxLargestArea, maxTotalArea, minPerimeter, maxPerimeter, minElongation,
                    maxElongation, minWidth, maxWidth, minHeight, maxHeight, adaptiveBlock, adaptiveOffset);
        }
    }
}
