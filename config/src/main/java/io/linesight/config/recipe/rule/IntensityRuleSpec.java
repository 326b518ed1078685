/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Grey-level and texture statistics in an ROI with optional limits. Each limit left out is not checked.
 *
 * @param maxStdDev    texture: the standard deviation may not exceed this (contamination, scratches)
 * @param imageQuality a failure is reported as {@code IMAGE_QUALITY} (exposure, light) rather than {@code RULE_FAILED}
 * @param minStdDev    texture: the standard deviation must reach this (a flat image means no part or no focus)
 * @param percentiles  limits on grey-level percentiles, e.g. {@code {p: 99, max: 250}} for saturation
 */
@TypeName("intensity")
public record IntensityRuleSpec(
        String name,
        String shot,
        Roi roi,
        @Range(min = 0, max = 65535) @Nullable Double minMean,
        @Range(min = 0, max = 65535) @Nullable Double maxMean,
        @Range(min = 0, max = 65535) @Nullable Double minValue,
        @Range(min = 0, max = 65535) @Nullable Double maxValue,
        @Range(min = 0, max = 65535) @Nullable Double maxStdDev,
        @Default("false") boolean imageQuality,
        @Range(min = 0, max = 65535) @Nullable Double minStdDev,
        List<Percentile> percentiles) implements RuleSpec {

    /** The original form, without texture floor and percentiles. */
    public IntensityRuleSpec(String name, String shot, Roi roi, @Nullable Double minMean, @Nullable Double maxMean,
                             @Nullable Double minValue, @Nullable Double maxValue, @Nullable Double maxStdDev,
                             boolean imageQuality) {
        this(name, shot, roi, minMean, maxMean, minValue, maxValue, maxStdDev, imageQuality, null, List.of());
    }

    public IntensityRuleSpec {
        Limits.ordered("minMean", minMean, "maxMean", maxMean);
        Limits.ordered("minValue", minValue, "maxValue", maxValue);
        Limits.ordered("minStdDev", minStdDev, "maxStdDev", maxStdDev);
        percentiles = List.copyOf(percentiles);
    }

    /**
     * One percentile and its limits.
     *
     * @param p   percent of the ROI's pixels at or below the value, 0..100
     */
    public record Percentile(@Range(min = 0, max = 100) double p, @Range(min = 0, max = 65535) @Nullable Double min,
                             @Range(min = 0, max = 65535) @Nullable Double max) {
        public Percentile {
            Limits.ordered("min", min, "max", max);
        }
    }
}
