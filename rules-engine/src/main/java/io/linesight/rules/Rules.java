/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.rule.RuleSpec;
import java.util.List;

/** Builds the rule objects of a recipe. */
public final class Rules {
    private Rules() {
    }

    public static List<Rule> of(Recipe recipe) {
        return recipe.rules().stream().map(Rules::create).toList();
    }

    public static Rule create(RuleSpec spec) {
        return switch (spec) {
            case io.linesight.config.recipe.rule.BlobRuleSpec b -> new io.linesight.rules.blob.BlobRule(b);
            case io.linesight.config.recipe.rule.IntensityRuleSpec i -> new io.linesight.rules.intensity.IntensityRule(i);
        };
    }
}
