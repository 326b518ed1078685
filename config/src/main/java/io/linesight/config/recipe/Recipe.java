/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.NotEmpty;
import io.linesight.config.bind.Pattern;
import io.linesight.config.bind.Range;
import io.linesight.config.recipe.rule.RuleSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What to do with one product: which shots to take under which light, which rules to measure, which model to run,
 * and how to decide. Immutable; a changed recipe is a new version.
 *
 * @param name        recipe name, also the file name without {@code .yaml}
 * @param version     increases by one each time the recipe is saved
 * @param productCode the PLC's product code that selects this recipe on changeover
 * @param shots       the images taken per part, in order
 * @param rules       classical checks, each on one shot
 * @param model       the defect detector, or none for a rules-only recipe
 */
public record Recipe(
        @Pattern(value = "[A-Za-z0-9_.-]{1,64}", hint = "letters, digits, '.', '-' or '_'") String name,
        @Default("1") @Range(min = 1, max = Integer.MAX_VALUE) int version,
        @Nullable String productCode,
        @Nullable String description,
        @NotEmpty List<Shot> shots,
        List<RuleSpec> rules,
        @Nullable ModelSpec model,
        @Default("{}") JudgePolicy judge,
        @Default("{}") ArchivePolicy archive) {

    /** The shot with this name, or null. */
    public @Nullable Shot shot(String shotName) {
        for (Shot s : shots) {
            if (s.name().equals(shotName)) {
                return s;
            }
        }
        return null;
    }

    /** Name and version as shown to people and stored with every result: {@code bracket@3}. */
    public String label() {
        return name + "@" + version;
    }
}
