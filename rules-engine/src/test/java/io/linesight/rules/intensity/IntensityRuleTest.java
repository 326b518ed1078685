/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.intensity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.TestFrames;
import io.linesight.rules.judge.ReasonCode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

class IntensityRuleTest {
    static {
        io.linesight.rules.cv.OpenCv.ensureLoaded();
    }

    static final Roi ROI = new Roi(0, 0, 100, 100);

    static IntensityRuleSpec spec(@Nullable Double minMean, @Nullable Double maxMean, @Nullable Double maxStd,
                                  boolean quality, List<IntensityRuleSpec.Percentile> percentiles) {
        return new IntensityRuleSpec("level", "bright", ROI, minMean, maxMean, null, null, maxStd, quality, null, percentiles);
    }

    /** Left half 50, right half 150: mean 100, std 50, min 50, max 150. */
    static Mat halves() {
        Mat m = new Mat(100, 100, CvType.CV_8UC1, new Scalar(50));
        Imgproc.rectangle(m, new Point(50, 0), new Point(99, 99), new Scalar(150), -1);
        return m;
    }

    static RuleResult run(IntensityRuleSpec spec, Mat image, PixelFormat format) {
        try (Frame f = TestFrames.of(image, format)) {
            return new IntensityRule(spec).evaluate(f, RuleContext.NONE);
        }
    }

    static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElseThrow();
    }

    @Test
    void statistics_matchTheDrawnImage() {
        RuleResult r = run(spec(null, null, null, false, List.of()), halves(), PixelFormat.MONO8);
        assertThat(value(r, "mean")).isCloseTo(100, within(1e-9));
        assertThat(value(r, "stdDev")).isCloseTo(50, within(1e-9));
        assertThat(value(r, "min")).isEqualTo(50);
        assertThat(value(r, "max")).isEqualTo(150);
        assertThat(r.pass()).isTrue();
    }

    @Test
    void histogramPath_givesTheSameStatisticsAsOpenCv_onAnOddRoiOfNoise() {
        // Percentiles on Mono8 count their own histogram from the frame buffer; an ROI at an odd x with a width
        // that is no multiple of 8 exercises the row offsets and the tail of each row.
        Mat noise = new Mat(240, 320, CvType.CV_8UC1);
        org.opencv.core.Core.randu(noise, 0, 256);
        Roi roi = new Roi(13, 7, 203, 151);
        IntensityRuleSpec plain = new IntensityRuleSpec("n", "top", roi, null, null, null, null, null, false, null, List.of());
        IntensityRuleSpec withP = new IntensityRuleSpec("n", "top", roi, null, null, null, null, null, false, null,
                List.of(new IntensityRuleSpec.Percentile(1, null, null), new IntensityRuleSpec.Percentile(37.5, null, null),
                        new IntensityRuleSpec.Percentile(99, null, null)));
        RuleResult a = run(plain, noise, PixelFormat.MONO8);
        RuleResult b = run(withP, noise, PixelFormat.MONO8);
        for (String m : List.of("mean", "stdDev", "min", "max")) {
            assertThat(value(b, m)).as(m).isCloseTo(value(a, m), within(1e-6));
        }
        // Percentiles against a sort of the ROI's pixels.
        byte[] px = new byte[roi.width() * roi.height()];
        noise.submat(roi.y(), roi.bottom(), roi.x(), roi.right()).clone().get(0, 0, px);
        int[] sorted = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            sorted[i] = px[i] & 255;
        }
        java.util.Arrays.sort(sorted);
        for (double p : new double[] {1, 37.5, 99}) {
            int rank = (int) Math.max(1, Math.ceil(px.length * p / 100.0));
            assertThat(value(b, IntensityRule.percentileName(p))).as("p" + p).isEqualTo(sorted[rank - 1]);
        }
    }

    @Test
    void percentiles_splitTheHistogram() {
        var ps = List.of(new IntensityRuleSpec.Percentile(10, null, null), new IntensityRuleSpec.Percentile(50, null, null),
                new IntensityRuleSpec.Percentile(50.5, null, null), new IntensityRuleSpec.Percentile(99, null, 140.0));
        RuleResult r = run(spec(null, null, null, false, ps), halves(), PixelFormat.MONO8);
        assertThat(value(r, "p10")).isEqualTo(50);
        assertThat(value(r, "p50")).isEqualTo(50);
        assertThat(value(r, "p50_5")).isEqualTo(150);
        assertThat(value(r, "p99")).isEqualTo(150);
        assertThat(r.pass()).isFalse();
        assertThat(r.detail()).isEqualTo("p99 150.0 > max 140.0");
    }

    @Test
    void percentiles_workOnSixteenBitFrames() {
        Mat m = new Mat(100, 100, CvType.CV_16UC1, new Scalar(1000));
        Imgproc.rectangle(m, new Point(0, 0), new Point(99, 9), new Scalar(4000), -1);
        var ps = List.of(new IntensityRuleSpec.Percentile(95, null, null));
        RuleResult r = run(spec(null, null, null, false, ps), m, PixelFormat.MONO12);
        assertThat(value(r, "p95")).isEqualTo(4000);
        assertThat(value(r, "mean")).isCloseTo(1300, within(1e-9));
    }

    @Test
    void tooDark_isImageQualityWhenSoConfigured() {
        RuleResult r = run(spec(120.0, null, null, true, List.of()), halves(), PixelFormat.MONO8);
        assertThat(r.pass()).isFalse();
        assertThat(r.code()).isEqualTo(ReasonCode.IMAGE_QUALITY);
        assertThat(r.detail()).isEqualTo("mean 100.0 < min 120.0");
    }

    @Test
    void texture_stdDevAboveTheLimitIsARuleFailure() {
        RuleResult r = run(spec(null, null, 20.0, false, List.of()), halves(), PixelFormat.MONO8);
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_FAILED);
        assertThat(r.detail()).contains("stdDev 50.0 > max 20.0");
    }

    @Test
    void flatImage_failsAMinimumTexture() {
        IntensityRuleSpec s = new IntensityRuleSpec("tex", "bright", ROI, null, null, null, null, null, false, 5.0, List.of());
        RuleResult r = run(s, new Mat(100, 100, CvType.CV_8UC1, new Scalar(90)), PixelFormat.MONO8);
        assertThat(r.pass()).isFalse();
        assertThat(r.detail()).contains("stdDev 0.0 < min 5.0");
    }

    @Test
    void margins_sayHowCloseTheMeanCameToItsLimits() {
        RuleResult r = run(spec(50.0, 250.0, null, false, List.of()), halves(), PixelFormat.MONO8);
        Measurement mean = r.measurements().getFirst();
        // 100 in 50..250: 50 from the lower limit, half-band 100 → margin 0.5.
        assertThat(mean.margin()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void frameSmallerThanTheRoi_isARuleError_notStatisticsOfThePartInside() {
        // An 80 px wide ROI on a 100 px wide frame, reaching 40 px past its edge: the 40 columns inside are all bright
        // (150, above min 120), and what the camera did not see must not be judged on them.
        IntensityRuleSpec s = new IntensityRuleSpec("x", "bright", new Roi(60, 0, 80, 100), 120.0, null, null, null, null, false);
        RuleResult r = run(s, halves(), PixelFormat.MONO8);
        assertThat(r.pass()).isFalse();
        assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
        assertThat(r.detail()).contains("outside").contains("100x100");
    }

    @Test
    void roiOutsideTheFrame_isARuleError() {
        IntensityRuleSpec s = new IntensityRuleSpec("x", "bright", new Roi(200, 0, 10, 10), null, null, null, null, null, false);
        assertThat(run(s, halves(), PixelFormat.MONO8).code()).isEqualTo(ReasonCode.RULE_ERROR);
    }
}
