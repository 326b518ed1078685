/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.Parts;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.TestFrames;
import io.linesight.rules.cv.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The pyramid search with hill-climbing must land where the plain exhaustive search does: every angle, every
 * position of the search region at full resolution, then the same parabolic sub-pixel refinement. The reference is
 * written here from OpenCV calls alone, independent of the rule's code.
 */
class CoarseToFineTest {
    static final Roi PATTERN = new Roi(190, 160, 260, 160);
    static final Roi SEARCH = new Roi(100, 80, 440, 320);
    static final int RANGE = 6;
    static Mat template;
    static TemplateRule rule;

    @BeforeAll
    static void teach() {
        OpenCv.ensureLoaded();
        template = Parts.render(0, 0, 0).submat(new Rect(PATTERN.x(), PATTERN.y(), PATTERN.width(), PATTERN.height())).clone();
        rule = new TemplateRule(TemplateRuleSpec.of("locate", "top", SEARCH, "teach/locate.png", PATTERN, true)
                .withAngles(RANGE, 1), template);
    }

    /** x, y (pattern centre in the frame), angle and score of the exhaustive full-resolution search. */
    static double[] exhaustive(Mat image) {
        int w = template.cols();
        int h = template.rows();
        double t = Math.toRadians(RANGE);
        // Any centred crop that stays inside the pattern at every angle finds the same centre.
        int cx = (int) Math.ceil(0.5 * (h * Math.sin(t) + w * (1 - Math.cos(t)))) + 1;
        int cy = (int) Math.ceil(0.5 * (w * Math.sin(t) + h * (1 - Math.cos(t)))) + 1;
        Mat search = image.submat(new Rect(SEARCH.x(), SEARCH.y(), SEARCH.width(), SEARCH.height()));
        int n = 2 * RANGE + 1;
        double[] score = new double[n];
        double[][] loc = new double[n][];
        for (int k = 0; k < n; k++) {
            Mat rotated = new Mat();
            Mat m = Imgproc.getRotationMatrix2D(new Point((w - 1) / 2.0, (h - 1) / 2.0), -(k - RANGE), 1);
            Imgproc.warpAffine(template, rotated, m, new Size(w, h), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            Mat crop = rotated.submat(new Rect(cx, cy, w - 2 * cx, h - 2 * cy));
            Mat scores = new Mat();
            Imgproc.matchTemplate(search, crop, scores, Imgproc.TM_CCOEFF_NORMED);
            Core.MinMaxLocResult mm = Core.minMaxLoc(scores);
            int x = (int) mm.maxLoc.x;
            int y = (int) mm.maxLoc.y;
            score[k] = mm.maxVal;
            loc[k] = new double[] {
                x + parabola(scores, x - 1, y, x + 1, y) + SEARCH.x() + (crop.cols() - 1) / 2.0,
                y + parabola(scores, x, y - 1, x, y + 1) + SEARCH.y() + (crop.rows() - 1) / 2.0};
        }
        int best = 0;
        for (int k = 1; k < n; k++) {
            best = score[k] > score[best] ? k : best;
        }
        double angle = best - RANGE;
        if (best > 0 && best < n - 1) {
            double den = score[best - 1] - 2 * score[best] + score[best + 1];
            if (den < 0) {
                angle += Math.clamp(0.5 * (score[best - 1] - score[best + 1]) / den, -0.5, 0.5);
            }
        }
        return new double[] {loc[best][0], loc[best][1], angle, score[best]};
    }

    static double parabola(Mat s, int x0, int y0, int x1, int y1) {
        if (x0 < 0 || y0 < 0 || x1 >= s.cols() || y1 >= s.rows()) {
            return 0;
        }
        double m = s.get(y0, x0)[0];
        double p = s.get(y1, x1)[0];
        double c = s.get((y0 + y1) / 2, (x0 + x1) / 2)[0];
        double den = m - 2 * c + p;
        return den >= 0 ? 0 : Math.clamp(0.5 * (m - p) / den, -0.5, 0.5);
    }

    @ParameterizedTest(name = "shift ({0}, {1}) turn {2}°, noise σ {3}")
    @CsvSource({"0, 0, 0, 0", "20, -20, 0, 4", "-13.4, 7.7, 2.5, 4", "17, 19, -5, 8", "-20, -18, 5.5, 8", "3.3, -11.1, -1.4, 12"})
    void pyramidSearch_landsWhereTheExhaustiveSearchDoes(double dx, double dy, double angle, double noise) {
        Mat image = Parts.render(dx, dy, angle);
        if (noise > 0) {
            Core.setRNGSeed(7);
            Mat n16 = new Mat(image.size(), CvType.CV_16S);
            Core.randn(n16, 0, noise);
            Mat signed = new Mat();
            image.convertTo(signed, CvType.CV_16S);
            Core.add(signed, n16, signed);
            signed.convertTo(image, CvType.CV_8U);
        }
        double[] truth = exhaustive(image);
        try (Frame f = TestFrames.mono8(image)) {
            RuleResult r = rule.locate(f, RuleContext.NONE).result();
            // Same peak, same parabolas: the results agree to float rounding (OpenCV's score maps are 32-bit).
            assertThat(FixtureTrackingTest.value(r, "x")).isCloseTo(truth[0], within(0.01));
            assertThat(FixtureTrackingTest.value(r, "y")).isCloseTo(truth[1], within(0.01));
            assertThat(FixtureTrackingTest.value(r, "angle")).isCloseTo(truth[2], within(0.01));
            assertThat(FixtureTrackingTest.value(r, "score")).isCloseTo(truth[3], within(0.001));
        }
    }
}
