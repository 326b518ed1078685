/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.recipe.Roi;

/**
 * One classical check of a recipe, selected in YAML by {@code type:}. Each rule looks at one shot inside one ROI.
 * Adding a rule type means adding a record here (with {@code @TypeName}) and its implementation in rules-engine.
 */
public sealed interface RuleSpec permits BlobRuleSpec, IntensityRuleSpec, CaliperRuleSpec, CircleRuleSpec,
        TemplateRuleSpec, GoldenRuleSpec {
    /** Unique within the recipe; reasons and measurements carry it. */
    String name();

    /** The shot this rule inspects. */
    String shot();

    Roi roi();
}
