/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.caliper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.CaliperRuleSpec;
import io.linesight.config.recipe.rule.CaliperRuleSpec.EdgePolarity;
import io.linesight.config.recipe.rule.CaliperRuleSpec.Pairing;
import io.linesight.config.recipe.rule.MeasureUnit;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.Synth;
import io.linesight.rules.TestFrames;
import io.linesight.rules.calibration.ShotCalibration;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

class CaliperRuleTest {
    static {
        OpenCv.ensureLoaded();
    }

    /** A dark bar (40) on bright (200): centre (cx, cy), length w across the scan, turned by angle. */
    static Mat bar(double cx, double cy, double width, double angle) {
        return Synth.render(400, 300, (x, y) -> Synth.inRotatedRect(x, y, cx, cy, width, 400, angle) ? 40 : 200);
    }

    static RuleResult run(CaliperRuleSpec spec, Mat image, RuleContext ctx) {
        try (Frame f = TestFrames.mono8(image)) {
            return new CaliperRule(spec, null).evaluate(f, ctx);
        }
    }

    static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + r));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1, 0.25, 0.37, 0.5, 0.62, 0.75, 0.9})
    void width_isWithinATenthOfAPixel_atEverySubPixelPhase(double phase) {
        double width = 60.45;
        RuleResult r = run(CaliperRuleSpec.of("w", "top", new Roi(100, 140, 200, 20), 0), bar(200 + phase, 150, width, 0),
                RuleContext.NONE);
        assertThat(r.pass()).as(r.detail()).isTrue();
        assertThat(value(r, "width")).isCloseTo(width, within(0.1));
        assertThat(value(r, "edge1X")).isCloseTo(200 + phase - width / 2, within(0.1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-37, 12.5, 30, 90})
    void rotatedCaliper_acrossARotatedBar_measuresTheTrueWidth(double angle) {
        double width = 41.3;
        RuleResult r = run(CaliperRuleSpec.of("w", "top", new Roi(140, 140, 120, 9), angle), bar(199.7, 149.6, width, angle),
                RuleContext.NONE);
        assertThat(value(r, "width")).isCloseTo(width, within(0.1));
        // The bar's centre line, seen from the ROI's centre (199.5, 144) along the scan direction.
        double a = Math.toRadians(angle);
        double expected = Math.cos(a) * (199.7 - 199.5) + Math.sin(a) * (149.6 - 144);
        assertThat(value(r, "position")).isCloseTo(expected, within(0.1));
    }

    @Test
    void polarity_selectsWhichEdgeIsFirst() {
        Mat img = bar(200, 150, 50, 0);
        CaliperRuleSpec single = CaliperRuleSpec.of("e", "top", new Roi(100, 140, 200, 20), 0);
        RuleResult rising = run(single.withEdges(EdgePolarity.RISING, EdgePolarity.ANY, Pairing.SINGLE), img, RuleContext.NONE);
        assertThat(value(rising, "edge1X")).isCloseTo(225, within(0.1));
        RuleResult falling = run(single.withEdges(EdgePolarity.FALLING, EdgePolarity.ANY, Pairing.SINGLE), img, RuleContext.NONE);
        assertThat(value(falling, "edge1X")).isCloseTo(175, within(0.1));
        RuleResult none = run(single.withEdges(EdgePolarity.RISING, EdgePolarity.FALLING, Pairing.OUTER), img, RuleContext.NONE);
        assertThat(none.pass()).isFalse();
        assertThat(none.detail()).startsWith("no second falling edge found");
    }

    @Test
    void adjacentPairing_measuresTheGapNotTheOutside() {
        // Two bars 20 px wide with a 15 px gap: outer width 55, the gap between them 15.
        Mat img = Synth.render(400, 300, (x, y) -> (x >= 170 && x < 190) || (x >= 205 && x < 225) ? 40 : 200);
        CaliperRuleSpec s = CaliperRuleSpec.of("g", "top", new Roi(100, 140, 200, 20), 0);
        assertThat(value(run(s, img, RuleContext.NONE), "width")).isCloseTo(55, within(0.1));
        RuleResult gap = run(s.withEdges(EdgePolarity.RISING, EdgePolarity.FALLING, Pairing.ADJACENT), img, RuleContext.NONE);
        assertThat(value(gap, "width")).isCloseTo(15, within(0.1));
    }

    @Test
    void minContrast_ignoresFaintEdges() {
        Mat faint = Synth.render(400, 300, (x, y) -> Math.abs(x - 200) < 30 ? 190 : 200);
        RuleResult r = run(CaliperRuleSpec.of("w", "top", new Roi(100, 140, 200, 20), 0), faint, RuleContext.NONE);
        assertThat(r.pass()).isFalse();
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_FAILED);
        assertThat(r.detail()).contains("no any edge found (min contrast 20");
    }

    @Test
    void millimetres_throughTheContextScale_andLimitsInMm() {
        CaliperRuleSpec s = CaliperRuleSpec.of("w", "top", new Roi(100, 140, 200, 20), 0)
                .withWidthLimits(2.0, 2.4, MeasureUnit.MM);
        RuleResult r = run(s, bar(200, 150, 50, 0), RuleContext.scale(0.05));
        assertThat(value(r, "width")).isCloseTo(2.5, within(0.005));
        assertThat(r.pass()).isFalse();
        assertThat(r.detail()).startsWith("width 2.500 > max 2.400 mm");
        assertThat(r.measurements().getFirst().unit()).isEqualTo("mm");
    }

    @Test
    void millimetres_fromTheShotCalibration() {
        CaliperRuleSpec s = CaliperRuleSpec.of("w", "top", new Roi(100, 140, 200, 20), 0).withWidthLimits(null, null, MeasureUnit.MM);
        try (Frame f = TestFrames.mono8(bar(200, 150, 50, 0))) {
            RuleResult r = new CaliperRule(s, ShotCalibration.scale(0.02)).evaluate(f, RuleContext.NONE);
            assertThat(value(r, "width")).isCloseTo(1.0, within(0.002));
        }
    }

    @Test
    void millimetresWithoutCalibration_isARuleError() {
        CaliperRuleSpec s = CaliperRuleSpec.of("w", "top", new Roi(100, 140, 200, 20), 0).withWidthLimits(1.0, 2.0, MeasureUnit.MM);
        RuleResult r = run(s, bar(200, 150, 50, 0), RuleContext.NONE);
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
        assertThat(r.detail()).contains("calibration of shot top");
    }

    @Test
    void fixtureShift_movesTheCaliperWithThePart() {
        CaliperRuleSpec s = CaliperRuleSpec.of("w", "top", new Roi(100, 140, 200, 20), 0).withWidthLimits(49.9, 50.1, MeasureUnit.PX);
        RuleResult r = run(s, bar(215.3, 150, 50, 0), new RuleContext(15.3, 4, 0, 0));
        // The ROI's centre is 199.5 (pixels 100..299), the bar's 200 before the shift.
        assertThat(value(r, "position")).isCloseTo(0.5, within(0.1));
        assertThat(r.pass()).isTrue();
    }

    @Test
    void caliperOutsideTheFrame_isARuleError() {
        RuleResult r = run(CaliperRuleSpec.of("w", "top", new Roi(300, 140, 200, 20), 0), bar(200, 150, 50, 0), RuleContext.NONE);
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
    }
}
