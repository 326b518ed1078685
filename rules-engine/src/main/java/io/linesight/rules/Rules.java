/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
import io.linesight.config.recipe.rule.RuleSpec;
import io.linesight.rules.blob.BlobRule;
import io.linesight.rules.intensity.IntensityRule;
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
            case BlobRuleSpec b -> new BlobRule(b);
            case IntensityRuleSpec i -> new IntensityRule(i);
            default -> throw new UnsupportedOperationException(spec.getClass().getSimpleName());
        };
    }
}
