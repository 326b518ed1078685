/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.teach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.rules.FixtureRunner;
import io.linesight.rules.Parts;
import io.linesight.rules.Rule;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.Rules;
import io.linesight.rules.Synth;
import io.linesight.rules.TestFrames;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.Judge;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.imgcodecs.Imgcodecs;

class TeacherTest {
    static {
        OpenCv.ensureLoaded();
    }

    static final String RECIPE = """
            name: plate
            shots:
              - {name: top, camera: cam1, exposureUs: 800}
            rules:
              - type: template
                name: locate
                shot: top
                roi: {x: 100, y: 80, width: 440, height: 320}
                pattern: {x: 190, y: 160, width: 260, height: 160}
                image: teach/locate.png
                fixture: true
                angleRange: 6
              - type: circle
                name: hole
                shot: top
                roi: {x: 215, y: 165, width: 70, height: 70}
                minDiameter: 36
                maxDiameter: 38
                maxOffset: 0.5
                datumX: 0
                datumY: 0
              - type: caliper
                name: slot
                shot: top
                roi: {x: 340, y: 245, width: 64, height: 11}
                firstEdge: falling
                secondEdge: rising
                minWidth: 24.3
                maxWidth: 24.7
              - type: golden
                name: surface
                shot: top
                roi: {x: 200, y: 170, width: 240, height: 140}
                image: teach/surface.png
            """;

    static Recipe load(Path dir, String yaml) throws Exception {
        Path file = dir.resolve("plate.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return RecipeLoader.load(file, "plate.yaml", dir, null);
    }

    @Test
    void untaughtRecipe_isRefusedNamingEachMissingImage(@TempDir Path dir) throws Exception {
        Recipe r = load(dir, RECIPE);
        assertThatThrownBy(() -> Rules.of(r, dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules[0].image: teach/locate.png does not exist in the recipe store")
                .hasMessageContaining("rules[3].image: teach/surface.png does not exist");
    }

    @Test
    void taughtRecipe_inspectsAShiftedTurnedPart(@TempDir Path dir) throws Exception {
        Recipe untaught = load(dir, RECIPE);
        Path good = dir.resolve("good.png");
        Imgcodecs.imwrite(good.toString(), Parts.render(0, 0, 0));
        Recipe taught = Teacher.teach(untaught, dir, good);

        assertThat(dir.resolve("teach/locate.png")).isRegularFile();
        assertThat(dir.resolve("teach/surface.png")).isRegularFile();
        CircleRuleSpec hole = (CircleRuleSpec) taught.rules().get(1);
        assertThat(hole.datumX()).isCloseTo(Parts.HOLE_X, within(0.05));
        assertThat(hole.datumY()).isCloseTo(Parts.HOLE_Y, within(0.05));

        List<Rule> rules = Rules.of(taught, dir);
        Judge judge = new Judge(taught);
        try (Frame f = TestFrames.mono8(Parts.render(-14.5, 11.2, -3.2))) {
            List<RuleResult> results = FixtureRunner.evaluate(rules, shot -> f, shot -> RuleContext.NONE);
            Verdict v = judge.decide(results, List.of());
            assertThat(v.passed()).as(v.reasons().toString()).isTrue();
            assertThat(((Verdict.Pass) v).margins()).containsKeys("slot.width", "hole.diameter", "locate.score");
        }
        try (Frame f = TestFrames.mono8(Parts.render(8, 5, 2, (x, y) -> Math.abs(x - 300) < 3 && Math.abs(y - 260) < 8 ? 40 : -1))) {
            Verdict v = judge.decide(FixtureRunner.evaluate(rules, shot -> f, shot -> RuleContext.NONE), List.of());
            assertThat(v.passed()).isFalse();
            assertThat(v.reasons()).singleElement().satisfies(r -> assertThat(r.source()).isEqualTo("surface"));
        }
    }

    @Test
    void teachFromFrames_writesTheSameTemplate(@TempDir Path dir) throws Exception {
        Recipe untaught = load(dir, RECIPE);
        try (Frame f = TestFrames.mono8(Parts.render(0, 0, 0))) {
            Teacher.teach(untaught, dir, Map.of("top", f));
        }
        assertThat(Imgcodecs.imread(dir.resolve("teach/locate.png").toString(), Imgcodecs.IMREAD_GRAYSCALE).size().width)
                .isEqualTo(260);
    }

    @Test
    void changeover_closingTheOldRules_stopsThemJudging_andClosingTwiceIsSafe(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.png");
        Imgcodecs.imwrite(good.toString(), Parts.render(0, 0, 0));
        Recipe taught = Teacher.teach(load(dir, RECIPE), dir, good);
        List<Rule> rules = Rules.of(taught, dir);
        Rules.close(rules);
        Rules.close(rules);
        try (Frame f = TestFrames.mono8(Parts.render(0, 0, 0))) {
            for (String closed : List.of("locate", "surface")) {
                Rule rule = rules.stream().filter(r -> r.name().equals(closed)).findFirst().orElseThrow();
                RuleResult r = rule.evaluate(f, RuleContext.NONE);
                assertThat(r.pass()).as(closed).isFalse();
                assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
            }
        }
    }

    @Test
    void refusedTeach_leavesTheTaughtImagesAsTheyWere(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.png");
        Imgcodecs.imwrite(good.toString(), Parts.render(0, 0, 0));
        Recipe untaught = load(dir, RECIPE);
        Teacher.teach(untaught, dir, good);
        byte[] pattern = Files.readAllBytes(dir.resolve("teach/locate.png"));
        byte[] golden = Files.readAllBytes(dir.resolve("teach/surface.png"));
        // A wrong part on the teach stage: no hole, and a scratch across its surface.
        Path wrong = dir.resolve("wrong.png");
        Imgcodecs.imwrite(wrong.toString(), Parts.render(0, 0, 0, (x, y) -> Synth.inCircle(x, y, Parts.HOLE_X, Parts.HOLE_Y,
                Parts.HOLE_R + 2) ? 205 : Math.abs(y - 260) < 3 && x > 220 && x < 420 ? 40 : -1));
        assertThatThrownBy(() -> Teacher.teach(untaught, dir, wrong)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("rule hole: no circle found on the good part");
        assertThat(Files.readAllBytes(dir.resolve("teach/locate.png"))).as("template").isEqualTo(pattern);
        assertThat(Files.readAllBytes(dir.resolve("teach/surface.png"))).as("golden image").isEqualTo(golden);
    }

    @Test
    void truncatedGoldenImage_isRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.png");
        Imgcodecs.imwrite(good.toString(), Parts.render(0, 0, 0));
        Recipe taught = Teacher.teach(load(dir, RECIPE), dir, good);
        Path surface = dir.resolve("teach/surface.png");
        byte[] png = Files.readAllBytes(surface);
        Files.write(surface, java.util.Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> Rules.of(taught, dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules[3].image: teach/surface.png is not an image OpenCV can read");
    }

    @Test
    void goldenImageLinkedOutOfTheStore_isRefused(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        Path good = dir.resolve("good.png");
        Imgcodecs.imwrite(good.toString(), Parts.render(0, 0, 0));
        Recipe taught = Teacher.teach(load(dir, RECIPE), dir, good);
        Path surface = dir.resolve("teach/surface.png");
        Path moved = Files.move(surface, elsewhere.resolve("surface.png"));
        Files.createSymbolicLink(surface, moved);
        assertThatThrownBy(() -> Rules.of(taught, dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules[3].image: teach/surface.png must be a path inside the recipe store");
    }
}
