/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.GoldenRuleSpec;
import io.linesight.rules.Measurement;
import io.linesight.rules.Parts;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.Synth;
import io.linesight.rules.TestFrames;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class GoldenRuleTest {
    static {
        OpenCv.ensureLoaded();
    }

    static final Roi ROI = new Roi(200, 170, 240, 140);
    static final Mat GOLDEN = Parts.render(0, 0, 0).submat(new Rect(ROI.x(), ROI.y(), ROI.width(), ROI.height())).clone();
    static final GoldenRule RULE = new GoldenRule(GoldenRuleSpec.of("golden", "top", ROI, "teach/golden.png"), GOLDEN, null);

    /** A dark spot of radius 4 on the plate (part coordinates), or no defect. */
    static final Synth.Scene SPOT = (x, y) -> Synth.inCircle(x, y, 300, 250, 4) ? 90 : -1;

    static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElseThrow();
    }

    static RuleResult run(Mat image, RuleContext ctx) {
        try (Frame f = TestFrames.mono8(image)) {
            return RULE.evaluate(f, ctx);
        }
    }

    @Test
    void goodPart_smallSubPixelShift_isAlignedAndPasses() {
        RuleResult r = run(Parts.render(2.6, -1.3, 0), RuleContext.NONE);
        assertThat(r.pass()).as(r.detail()).isTrue();
        assertThat(value(r, "shiftX")).isBetween(2.3, 2.9);
        assertThat(value(r, "shiftY")).isBetween(-1.6, -1.0);
    }

    @Test
    void spot_isOneDifference() {
        RuleResult r = run(Parts.render(1.2, 0.7, 0, SPOT), RuleContext.NONE);
        assertThat(r.pass()).isFalse();
        assertThat(value(r, "defects")).isEqualTo(1);
        assertThat(value(r, "largestArea")).isBetween(30.0, 60.0);
        assertThat(r.detail()).startsWith("1 differences from the golden image > max 0");
    }

    @Test
    void spot_isBoxedWhereItIs() {
        // Only the box around the differing pixels is labelled; the defect's overlay must still land on the spot.
        RuleResult r = run(Parts.render(1.2, 0.7, 0, SPOT), RuleContext.NONE);
        Overlay.Box box = r.overlays().stream().skip(1).map(Overlay.Box.class::cast).findFirst().orElseThrow();
        assertThat(box.x() + box.width() / 2).isCloseTo(300 + 1.2, within(1.5));
        assertThat(box.y() + box.height() / 2).isCloseTo(250 + 0.7, within(1.5));
    }

    @Test
    void alignment_findsAShiftNearTheEdgeOfTheSearch() {
        // The climb starts at the fixture's placement and must walk to a peak 3.5 px away (alignSearch is 4).
        RuleResult r = run(Parts.render(-3.4, 3.5, 0), RuleContext.NONE);
        assertThat(r.pass()).as(r.detail()).isTrue();
        assertThat(value(r, "shiftX")).isCloseTo(-3.4, within(0.3));
        assertThat(value(r, "shiftY")).isCloseTo(3.5, within(0.3));
    }

    @Test
    void turnedPart_followsTheFixturePlacement() {
        RuleContext ctx = RuleContext.NONE.withFixture(10, -6, 4, Parts.OX, Parts.OY);
        assertThat(run(Parts.render(10, -6, 4), ctx).pass()).isTrue();
        assertThat(value(run(Parts.render(10, -6, 4, SPOT), ctx), "defects")).isEqualTo(1);
    }

    @Test
    void mask_ignoresTheMaskedRegion() {
        Mat mask = new Mat(ROI.height(), ROI.width(), CvType.CV_8UC1, new Scalar(0));
        Imgproc.circle(mask, new Point(300 - ROI.x(), 250 - ROI.y()), 10, new Scalar(255), -1);
        GoldenRule masked = new GoldenRule(GoldenRuleSpec.of("golden", "top", ROI, "g.png"), GOLDEN, mask);
        try (Frame f = TestFrames.mono8(Parts.render(0, 0, 0, SPOT))) {
            assertThat(masked.evaluate(f, RuleContext.NONE).pass()).isTrue();
        }
    }

    @Test
    void close_releasesTheGoldenImageAndToleranceMap_andASecondCloseIsSafe() {
        GoldenRule rule = new GoldenRule(GoldenRuleSpec.of("golden", "top", ROI, "g.png"), GOLDEN, null);
        assertThat(rule.nativeImages()).hasSize(3).noneMatch(Mat::empty);
        rule.close();
        assertThat(rule.nativeImages()).allMatch(Mat::empty);
        rule.close();
        assertThat(GOLDEN.empty()).as("the caller's image is the caller's").isFalse();
        try (Frame f = TestFrames.mono8(Parts.render(0, 0, 0))) {
            RuleResult r = rule.evaluate(f, RuleContext.NONE);
            assertThat(r.pass()).isFalse();
            assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(r.detail()).isEqualTo("rule closed: its recipe was replaced");
        }
    }
}
