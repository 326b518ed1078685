/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.recipe.Recipe;
import io.linesight.station.auth.AuditException;
import io.linesight.station.auth.AuditLog;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.ResultsStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeVersionsTest {
    @TempDir
    Path dir;
    ResultsStore store;
    AuditLog audit;
    RecipeVersions versions;

    @BeforeEach
    void setUp() throws Exception {
        try (InputStream in = RecipeVersionsTest.class.getResourceAsStream("/demo/recipes/bracket.yaml")) {
            Files.copy(in, dir.resolve("bracket.yaml"));
        }
        Files.createDirectories(dir.resolve("models"));
        for (String f : new String[] {"bracket-defects.onnx", "bracket-defects.onnx.eval.json"}) {
            try (InputStream in = RecipeVersionsTest.class.getResourceAsStream("/demo/recipes/models/" + f)) {
                Files.copy(in, dir.resolve("models/" + f));
            }
        }
        store = ResultsStore.openSqlite(dir.resolve("data"), "l1", "s1");
        audit = new AuditLog(store, Clock.systemUTC());
        versions = new RecipeVersions(dir, audit);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static RecipeFields.Field field(Recipe r, String owner, String key) {
        return RecipeFields.of(r).stream().filter(f -> f.owner().equals(owner) && f.key().equals(key)).findFirst()
                .orElseThrow();
    }

    @Test
    void editedThreshold_savesNextVersion_keepsPreviousInHistory_andAuditsBeforeAfter() throws Exception {
        Recipe v1 = versions.load(dir.resolve("bracket.yaml"));
        RecipeFields.Field f = field(v1, "exposure-bright", "minMean");
        assertThat(f.value()).isEqualTo("140.0");
        Recipe edited = RecipeFields.with(v1, f, "150");

        Recipe saved = versions.saveNextVersion(edited, "eve");

        assertThat(saved.version()).isEqualTo(2);
        assertThat(field(saved, "exposure-bright", "minMean").value()).isEqualTo("150.0");
        assertThat(dir.resolve(".history/bracket@1.yaml")).exists();
        assertThat(versions.versions("bracket")).extracting(RecipeVersions.Entry::label)
                .containsExactly("bracket@2", "bracket@1");
        AuditRecord last = audit.entries().getLast();
        assertThat(last.who()).isEqualTo("eve");
        assertThat(last.action()).isEqualTo("recipe-save");
        assertThat(last.before()).isEqualTo("bracket@1");
        assertThat(last.after()).startsWith("bracket@2").contains("rules[5].minMean: 140 → 150");
    }

    @Test
    void save_theTrailCannotRecord_changesNothingInTheRecipeStore() throws Exception {
        Path file = dir.resolve("bracket.yaml");
        String before = Files.readString(file);
        Recipe v1 = versions.load(file);
        Recipe edited = RecipeFields.with(v1, field(v1, "exposure-bright", "minMean"), "150");
        store.close(); // the results database is gone
        assertThatThrownBy(() -> versions.saveNextVersion(edited, "eve"))
                .isInstanceOf(AuditException.class).hasMessageContaining("recipe-save not done");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(dir.resolve(".history")).doesNotExist();
    }

    @Test
    void diffOfTwoVersions_namesTheChangedLeafWithItsPath() throws Exception {
        Recipe v1 = versions.load(dir.resolve("bracket.yaml"));
        Recipe edited = RecipeFields.with(v1, field(v1, "hole-top-left", "maxCount"), "2");
        assertThat(RecipeDiff.changes(RecipeVersions.yaml(v1), RecipeVersions.yaml(edited)))
                .containsExactly("rules[1].maxCount: 1 → 2");
    }

    @Test
    void valueTheRuleRefuses_isAnErrorNamingTheField() throws Exception {
        Recipe v1 = versions.load(dir.resolve("bracket.yaml"));
        RecipeFields.Field f = field(v1, "hole-top-left", "maxCount");
        assertThatThrownBy(() -> RecipeFields.with(v1, f, "0"))
                .hasMessageContaining("hole-top-left.maxCount").hasMessageContaining("minCount");
        assertThatThrownBy(() -> RecipeFields.with(v1, f, "many"))
                .hasMessageContaining("rules[1].maxCount").hasMessageContaining("not a number");
    }
}
