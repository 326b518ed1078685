/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * Grey-level statistics in an ROI with optional limits. Each limit left out is not checked.
 *
 * @param imageQuality a failure is reported as {@code IMAGE_QUALITY} (exposure, light) rather than {@code RULE_FAILED}
 */
@TypeName("intensity")
public record IntensityRuleSpec(
        String name,
        String shot,
        Roi roi,
        @Nullable Double minMean,
        @Nullable Double maxMean,
        @Nullable Double minValue,
        @Nullable Double maxValue,
        @Nullable Double maxStdDev,
        @Default("false") boolean imageQuality) implements RuleSpec {
}
