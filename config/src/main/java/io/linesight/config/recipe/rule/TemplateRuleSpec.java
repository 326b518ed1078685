/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * Find a taught pattern by normalised cross-correlation inside the search ROI.
 *
 * <p>With {@code fixture: true} the rule locates the part: every other rule of the same shot is then evaluated
 * with its ROI moved by the found shift and rotated by the found angle about the pattern's taught centre.
 *
 * @param roi        the search region
 * @param image      the template (8-bit greyscale PNG), a path relative to the recipe store; written by teach
 * @param pattern    where the template was cut on the taught image, in frame px; its centre is the fixture origin
 * @param minScore   the best correlation (0..1) must reach this for the pattern to be present
 * @param fixture    use the found position to move every other rule of the shot
 * @param angleRange rotations searched, ± degrees (0: translation only)
 * @param angleStep  step between searched rotations in degrees (refined between steps)
 * @param maxShift   the pattern may be at most this far (px) from its taught position
 */
@TypeName("template")
public record TemplateRuleSpec(
        String name,
        String shot,
        Roi roi,
        String image,
        Roi pattern,
        @Default("0.7") @Range(min = 0, max = 1) double minScore,
        @Default("false") boolean fixture,
        @Default("0") @Range(min = 0, max = 45) double angleRange,
        @Default("1") @Range(min = 0.1, max = 10) double angleStep,
        @Nullable Double maxShift) implements RuleSpec {

    public TemplateRuleSpec {
        if (pattern.width() < 8 || pattern.height() < 8) {
            throw new IllegalArgumentException("pattern must be at least 8x8 px");
        }
    }

    public static TemplateRuleSpec of(String name, String shot, Roi searchRoi, String image, Roi pattern, boolean fixture) {
        return new TemplateRuleSpec(name, shot, searchRoi, image, pattern, 0.7, fixture, 0, 1, null);
    }

    public TemplateRuleSpec withAngles(double range, double step) {
        return new TemplateRuleSpec(name, shot, roi, image, pattern, minScore, fixture, range, step, maxShift);
    }
}
