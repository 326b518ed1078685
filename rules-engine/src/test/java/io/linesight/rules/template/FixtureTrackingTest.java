/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.CaliperRuleSpec;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.FixtureRunner;
import io.linesight.rules.Measurement;
import io.linesight.rules.Parts;
import io.linesight.rules.Rule;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.Synth;
import io.linesight.rules.TestFrames;
import io.linesight.rules.caliper.CaliperRule;
import io.linesight.rules.circle.CircleRule;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

class FixtureTrackingTest {
    static final Roi PATTERN = new Roi(190, 160, 260, 160);
    static TemplateRule fixture;
    static List<Rule> rules;

    @BeforeAll
    static void teach() {
        OpenCv.ensureLoaded();
        Mat good = Parts.render(0, 0, 0);
        Mat template = good.submat(new Rect(PATTERN.x(), PATTERN.y(), PATTERN.width(), PATTERN.height())).clone();
        TemplateRuleSpec spec = TemplateRuleSpec.of("locate", "top", new Roi(100, 80, 440, 320), "teach/locate.png", PATTERN, true)
                .withAngles(6, 1);
        fixture = new TemplateRule(spec, template);
        rules = List.of(
                new CaliperRule(CaliperRuleSpec.of("slot", "top", new Roi(340, 245, 64, 11), 0), null),
                new CircleRule(CircleRuleSpec.of("hole", "top", new Roi(215, 165, 70, 70), CircleRuleSpec.Polarity.DARK)
                        .withDatum(Parts.HOLE_X, Parts.HOLE_Y, 0.5), null),
                fixture);
    }

    static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + r));
    }

    @ParameterizedTest(name = "shift ({0}, {1}) turn {2}°")
    @CsvSource({"0, 0, 0", "20, -20, 0", "-20, 20, 0", "13.4, 7.7, 0", "0, 0, 5", "0, 0, -5", "20, 20, 5", "-20, -15, -5",
            "-7.3, 18.2, 2.6", "15, -20, -3.7"})
    void fixture_findsThePart_andTheOtherRulesMeasureOnIt(double dx, double dy, double angle) {
        try (Frame f = TestFrames.mono8(Parts.render(dx, dy, angle))) {
            Located found = fixture.locate(f, RuleContext.NONE);
            assertThat(found.result().pass()).as(found.result().detail()).isTrue();
            RuleContext ctx = found.context();
            assertThat(ctx).isNotNull();
            assertThat(ctx.angleDeg()).isCloseTo(angle, within(0.15));
            // Where the hole's taught centre lands must match where the part put it.
            double a = Math.toRadians(angle);
            double hx = Math.cos(a) * (Parts.HOLE_X - Parts.OX) - Math.sin(a) * (Parts.HOLE_Y - Parts.OY) + Parts.OX + dx;
            double hy = Math.sin(a) * (Parts.HOLE_X - Parts.OX) + Math.cos(a) * (Parts.HOLE_Y - Parts.OY) + Parts.OY + dy;
            assertThat(ctx.mapX(Parts.HOLE_X, Parts.HOLE_Y)).isCloseTo(hx, within(0.5));
            assertThat(ctx.mapY(Parts.HOLE_X, Parts.HOLE_Y)).isCloseTo(hy, within(0.5));

            List<RuleResult> results = FixtureRunner.evaluate(rules, shot -> f, shot -> RuleContext.NONE);
            RuleResult slot = results.get(0);
            RuleResult hole = results.get(1);
            assertThat(value(slot, "width")).isCloseTo(Parts.SLOT_WIDTH, within(0.1));
            assertThat(value(hole, "diameter")).isCloseTo(2 * Parts.HOLE_R, within(0.2));
            assertThat(value(hole, "offset")).isLessThan(0.5);
            assertThat(results).allSatisfy(r -> assertThat(r.pass()).as(r.rule() + ": " + r.detail()).isTrue());
        }
    }

    @Test
    void partMissing_failsTheFixture_andTheOtherRulesAreNotMeasured() {
        try (Frame f = TestFrames.mono8(Synth.render(Parts.W, Parts.H, (x, y) -> 35))) {
            List<RuleResult> results = FixtureRunner.evaluate(rules, shot -> f, shot -> RuleContext.NONE);
            assertThat(results.get(2).pass()).isFalse();
            assertThat(results.get(2).detail()).startsWith("pattern not found: score");
            assertThat(results.subList(0, 2)).allSatisfy(r -> {
                assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
                assertThat(r.detail()).isEqualTo("not measured: fixture locate did not find the part");
            });
        }
    }

    @Test
    void shotWithoutFrame_isARuleErrorForItsRules() {
        List<RuleResult> results = FixtureRunner.evaluate(rules, shot -> null, shot -> RuleContext.NONE);
        assertThat(results).allSatisfy(r -> assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR));
    }
}
