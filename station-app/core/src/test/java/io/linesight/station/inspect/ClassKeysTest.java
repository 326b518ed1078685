/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings that name a defect class, checked against the demo model's real classes (scratch, dent, contamination,
 * missing_hole) when the station loads the recipe.
 */
class ClassKeysTest {
    @TempDir
    Path dir;

    private Recipe demoRecipeWith(String modelLines, String judge) throws Exception {
        String yaml = DemoRecipeFiles.copyModelAndReadYaml(dir);
        assertThat(yaml).contains("\n  iou: 0.45\n").doesNotContain("\njudge:");
        Path file = dir.resolve("bracket-keys.yaml");
        Files.writeString(file, yaml.replace("\n  iou: 0.45\n", "\n  iou: 0.45\n" + modelLines) + judge);
        return RecipeLoader.load(file, "bracket-keys.yaml", dir, null);
    }

    @Test
    void misspeltClassNames_areRefusedAtLoad_namingEverySetting_andOpenNothing() throws Exception {
        Recipe r = demoRecipeWith("", """
                judge:
                  decision: weighted
                  rejectScore: 1
                  toleratedClasses: [dents]
                  maxDefectsByClass: {missing-hole: 0}
                  weights: {surface: 2, scratch: 3, surfce: 5}
                """);
        assertThatThrownBy(() -> ActiveRecipe.load(r, dir, 1))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                        .allSatisfy(s -> assertThat(s).contains("classes of bracket-defects.onnx@")
                                .contains("contamination, dent, missing_hole, scratch"))
                        .anySatisfy(s -> assertThat(s).contains("judge.toleratedClasses: dents is not a class"))
                        .anySatisfy(s -> assertThat(s).contains("judge.maxDefectsByClass: missing-hole is not a class"))
                        .anySatisfy(s -> assertThat(s).contains("judge.weights.surfce: is neither a rule of the recipe "
                                + "nor a class"))
                        .hasSize(3));
    }

    @Test
    void classNamesTheModelHas_andRuleNames_load() throws Exception {
        Recipe r = demoRecipeWith("  classConfidence: {scratch: 0.1}\n", """
                judge:
                  toleratedClasses: [dent]
                  maxDefectsByClass: {missing_hole: 0}
                  weights: {surface: 2, contamination: 3}
                """);
        try (ActiveRecipe active = ActiveRecipe.load(r, dir, 1)) {
            assertThat(active.recipe().judge().weights()).containsKeys("surface", "contamination");
        }
    }
}
