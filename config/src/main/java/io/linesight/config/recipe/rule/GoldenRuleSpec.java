/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * Compare the ROI with a taught good image after alignment; pixels that differ by more than the tolerance form
 * defect blobs.
 *
 * @param image         the golden image of the ROI (8-bit greyscale PNG), relative to the recipe store; written by teach
 * @param mask          optional tolerance mask of the same size (relative to the store): 0 = strict, 255 = ignored,
 *                      values between add that many grey levels of tolerance
 * @param tolerance     grey levels (8-bit scale) a pixel may differ everywhere
 * @param edgeTolerance factor on the golden image's local contrast (3x3 max-min) added to the tolerance, so that a
 *                      sub-pixel misalignment along strong edges is not a defect
 * @param alignSearch   the ROI is aligned to the golden image by searching ± this many px around the (fixtured)
 *                      position; 0 for none
 * @param minDefectArea difference blobs smaller than this (px²) are ignored
 * @param maxDefects    more blobs than this fail the rule
 * @param maxTotalArea  the blobs together may not exceed this (px²)
 */
@TypeName("golden")
public record GoldenRuleSpec(
        String name,
        String shot,
        Roi roi,
        String image,
        @Nullable String mask,
        @Default("40") @Range(min = 0, max = 255) double tolerance,
        @Default("1") @Range(min = 0, max = 10) double edgeTolerance,
        @Default("4") @Range(min = 0, max = 256) int alignSearch,
        @Default("10") @Range(min = 0, max = 1e12) double minDefectArea,
        @Default("0") @Range(min = 0, max = 1_000_000) int maxDefects,
        @Nullable Double maxTotalArea) implements RuleSpec {

    public static GoldenRuleSpec of(String name, String shot, Roi roi, String image) {
        return new GoldenRuleSpec(name, shot, roi, image, null, 40, 1, 4, 10, 0, null);
    }
}
