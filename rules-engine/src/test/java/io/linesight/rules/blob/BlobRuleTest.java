/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.TestFrames;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class BlobRuleTest {
    static {
        io.linesight.rules.cv.OpenCv.ensureLoaded();
    }


    static BlobRuleSpec.Builder spec() {
        return BlobRuleSpec.builder("spots", "bright", new Roi(0, 0, 400, 300));
    }

    /** Bright background (200) with dark discs (30) of the given radii on a row. */
    static Mat discs(int... radii) {
        Mat m = new Mat(300, 400, CvType.CV_8UC1, new Scalar(200));
        int x = 30;
        for (int r : radii) {
            Imgproc.circle(m, new Point(x + r, 150), r, new Scalar(30), -1, Imgproc.LINE_8);
            x += 2 * r + 20;
        }
        return m;
    }

    static RuleResult run(BlobRuleSpec spec, Mat image) {
        try (Frame f = TestFrames.mono8(image)) {
            return new BlobRule(spec).evaluate(f, RuleContext.NONE);
        }
    }

    static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElseThrow(() -> new AssertionError("no measurement " + name + " in " + r));
    }

    @Test
    void fixedThreshold_countsEveryDarkDiscExactly() {
        RuleResult r = run(spec().build(), discs(5, 8, 12, 20, 3));
        assertThat(value(r, "count")).isEqualTo(5);
        assertThat(r.pass()).isTrue();
        // ROI box plus one box per blob.
        assertThat(r.overlays()).hasSize(6).first().isInstanceOf(Overlay.Box.class);
    }

    @Test
    void areaFilter_dropsBlobsOutsideTheRange() {
        // Contour areas (through pixel centres) ≈ 64, 180, 420, 1200 px²: keep only 150..500.
        RuleResult r = run(spec().minArea(150).maxArea(500).build(), discs(5, 8, 12, 20));
        assertThat(value(r, "count")).isEqualTo(2);
    }

    @Test
    void circularityFilter_dropsThinBars() {
        Mat m = discs(10, 10);
        Imgproc.rectangle(m, new Point(200, 100), new Point(300, 104), new Scalar(30), -1);
        assertThat(value(run(spec().build(), m), "count")).isEqualTo(3);
        assertThat(value(run(spec().minCircularity(0.6).build(), m), "count")).isEqualTo(2);
    }

    @Test
    void maxCount_failsWithTheCountInTheDetail() {
        RuleResult r = run(spec().maxCount(2).build(), discs(5, 5, 5));
        assertThat(r.pass()).isFalse();
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_FAILED);
        assertThat(r.detail()).contains("count 3 > max 2");
    }

    @Test
    void minCount_failsWhenAFeatureIsMissing() {
        RuleResult r = run(spec().minCount(4).build(), discs(6, 6, 6));
        assertThat(r.pass()).isFalse();
        assertThat(r.detail()).contains("count 3 < min 4");
    }

    @Test
    void largestAndTotalArea_areMeasuredAndLimited() {
        RuleResult r = run(spec().maxLargestArea(1000.0).build(), discs(10, 20));
        assertThat(value(r, "largestArea")).isBetween(1150.0, 1300.0);
        assertThat(value(r, "totalArea")).isBetween(1400.0, 1600.0);
        assertThat(r.pass()).isFalse();
        assertThat(r.detail()).contains("largest blob");
    }

    @Test
    void brightPolarity_countsBrightBlobsOnDark() {
        Mat m = new Mat(300, 400, CvType.CV_8UC1, new Scalar(20));
        Imgproc.circle(m, new Point(100, 100), 10, new Scalar(240), -1);
        Imgproc.circle(m, new Point(200, 100), 10, new Scalar(240), -1);
        RuleResult r = run(spec().polarity(BlobRuleSpec.Polarity.BRIGHT).build(), m);
        assertThat(value(r, "count")).isEqualTo(2);
    }

    @Test
    void otsuThreshold_findsTheSplitBetweenBackgroundAndBlobs() {
        RuleResult r = run(spec().threshold(BlobRuleSpec.Threshold.OTSU).build(), discs(6, 9, 14));
        assertThat(value(r, "count")).isEqualTo(3);
    }

    @Test
    void adaptiveThreshold_countsBlobsUnderAGradientLight() {
        Mat m = new Mat(300, 400, CvType.CV_8UC1);
        for (int x = 0; x < 400; x++) {
            Imgproc.line(m, new Point(x, 0), new Point(x, 299), new Scalar(60 + x * 0.45));
        }
        for (int i = 0; i < 4; i++) {
            Point c = new Point(50 + i * 100, 150);
            double bg = 60 + c.x * 0.45;
            Imgproc.circle(m, c, 8, new Scalar(bg - 45), -1);
        }
        RuleResult r = run(spec().threshold(BlobRuleSpec.Threshold.ADAPTIVE).minArea(50).build(), m);
        assertThat(value(r, "count")).isEqualTo(4);
    }

    @Test
    void fixtureOffset_movesTheRoi() {
        Mat m = discs(8);
        BlobRuleSpec s = BlobRuleSpec.builder("s", "bright", new Roi(0, 0, 100, 300)).build();
        try (Frame f = TestFrames.mono8(m)) {
            assertThat(value(new BlobRule(s).evaluate(f, RuleContext.NONE), "count")).isEqualTo(1);
            assertThat(value(new BlobRule(s).evaluate(f, new RuleContext(150, 0, 0, 0)), "count")).isZero();
        }
    }

    @Test
    void roiOutsideTheFrame_isARuleError() {
        BlobRuleSpec s = BlobRuleSpec.builder("s", "bright", new Roi(500, 500, 50, 50)).build();
        RuleResult r = run(s, discs(5));
        assertThat(r.pass()).isFalse();
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
        assertThat(r.detail()).contains("outside").contains("400x300");
    }

    @Test
    void roiTheFixtureMovesPastTheFrameEdge_isARuleError_notAPassOnThePartStillInside() {
        // A scratch-free strip at the right edge; the part sits 60 px further right, so 60 of the ROI's 100 px
        // columns lie beyond the frame: the surface there was never imaged and cannot be judged clean.
        BlobRuleSpec s = BlobRuleSpec.builder("edge", "bright", new Roi(300, 0, 100, 300)).maxCount(0).build();
        try (Frame f = TestFrames.mono8(discs())) {
            RuleResult r = new BlobRule(s).evaluate(f, new RuleContext(60, 0, 0, 0));
            assertThat(r.pass()).isFalse();
            assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(r.detail()).contains("outside").contains("400x300");
        }
    }

    @Nested
    class SixteenBit {
        static Mat discs16(int bg, int fg, int... radii) {
            Mat m = new Mat(300, 400, CvType.CV_16UC1, new Scalar(bg));
            int x = 30;
            for (int r : radii) {
                Imgproc.circle(m, new Point(x + r, 150), r, new Scalar(fg), -1);
                x += 2 * r + 20;
            }
            return m;
        }

        @Test
        void fixedThreshold_isInTheFramesOwnUnits() {
            Mat m = discs16(3000, 500, 6, 9, 12);
            try (Frame f = TestFrames.of(m, PixelFormat.MONO12)) {
                BlobRuleSpec s = spec().thresholdValue(1500).build();
                assertThat(value(new BlobRule(s).evaluate(f, RuleContext.NONE), "count")).isEqualTo(3);
            }
        }

        @Test
        void otsu_scalesTheFullRangeDownFirst() {
            Mat m = discs16(60000, 4000, 6, 9, 12, 4);
            try (Frame f = TestFrames.of(m, PixelFormat.MONO16)) {
                BlobRuleSpec s = spec().threshold(BlobRuleSpec.Threshold.OTSU).build();
                assertThat(value(new BlobRule(s).evaluate(f, RuleContext.NONE), "count")).isEqualTo(4);
            }
        }
    }
}
