/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.circle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.config.recipe.rule.MeasureUnit;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.Synth;
import io.linesight.rules.TestFrames;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class CircleRuleTest {
    static {
        OpenCv.ensureLoaded();
    }

    static final CircleRuleSpec HOLE = CircleRuleSpec.of("hole", "top", new Roi(40, 30, 160, 140), CircleRuleSpec.Polarity.DARK);

    static Mat hole(double cx, double cy, double r) {
        return Synth.render(240, 200, (x, y) -> Synth.inCircle(x, y, cx, cy, r) ? 30 : 210);
    }

    static RuleResult run(CircleRuleSpec spec, Mat image, RuleContext ctx) {
        try (Frame f = TestFrames.mono8(image)) {
            return new CircleRule(spec, null).evaluate(f, ctx);
        }
    }

    static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + r));
    }

    @ParameterizedTest
    @CsvSource({"120.0, 100.0, 25.37", "118.31, 97.77, 12.2", "121.5, 101.25, 40.05", "119.9, 99.4, 6.8"})
    void diameter_isWithinTwoTenthsOfAPixel(double cx, double cy, double r) {
        RuleResult res = run(HOLE, hole(cx, cy, r), RuleContext.NONE);
        assertThat(res.pass()).as(res.detail()).isTrue();
        assertThat(value(res, "diameter")).isCloseTo(2 * r, within(0.2));
        assertThat(value(res, "centreX")).isCloseTo(cx, within(0.1));
        assertThat(value(res, "centreY")).isCloseTo(cy, within(0.1));
    }

    @Test
    void brightDisc_withBrightPolarity() {
        Mat img = Synth.render(240, 200, (x, y) -> Synth.inCircle(x, y, 110.3, 95.6, 20.4) ? 230 : 20);
        CircleRuleSpec s = CircleRuleSpec.of("pin", "top", new Roi(40, 30, 160, 140), CircleRuleSpec.Polarity.BRIGHT);
        assertThat(value(run(s, img, RuleContext.NONE), "diameter")).isCloseTo(40.8, within(0.2));
    }

    @Test
    void sixteenBitFrame_isMeasuredInItsOwnUnits() {
        Mat img = Synth.render(240, 200, (x, y) -> Synth.inCircle(x, y, 120.2, 100.1, 18) ? 400 : 3500, CvType.CV_16UC1);
        try (Frame f = TestFrames.of(img, PixelFormat.MONO12)) {
            RuleResult r = new CircleRule(HOLE, null).evaluate(f, RuleContext.NONE);
            assertThat(value(r, "diameter")).isCloseTo(36, within(0.2));
        }
    }

    @Test
    void missingHole_failsAsNotPresent() {
        RuleResult r = run(HOLE, Synth.render(240, 200, (x, y) -> 210), RuleContext.NONE);
        assertThat(r.pass()).isFalse();
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_FAILED);
        assertThat(value(r, "present")).isZero();
    }

    @Test
    void diameterLimits_failWithTheValue() {
        RuleResult r = run(HOLE.withDiameter(30.0, 40.0, MeasureUnit.PX), hole(120, 100, 22), RuleContext.NONE);
        assertThat(r.pass()).isFalse();
        assertThat(r.detail()).matches("diameter 4[34]\\.\\d{3} > max 40.000 px");
    }

    @Test
    void datum_measuresTheCentresOffset_andFollowsTheFixture() {
        CircleRuleSpec s = HOLE.withDatum(120, 100, 1.0);
        RuleResult off = run(s, hole(123, 104, 15), RuleContext.NONE);
        assertThat(value(off, "offset")).isCloseTo(5, within(0.1));
        assertThat(off.pass()).isFalse();
        RuleResult followed = run(s, hole(123, 104, 15), new RuleContext(3, 4, 0, 0));
        assertThat(value(followed, "offset")).isCloseTo(0, within(0.1));
        assertThat(followed.pass()).isTrue();
    }

    @Test
    void millimetres_scaleTheDiameter() {
        RuleResult r = run(HOLE.withDiameter(1.9, 2.1, MeasureUnit.MM), hole(120, 100, 20), RuleContext.scale(0.05));
        assertThat(value(r, "diameter")).isCloseTo(2.0, within(0.01));
        assertThat(r.pass()).isTrue();
    }
}
