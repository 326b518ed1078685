/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.template;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.Measurement;
import io.linesight.rules.Rule;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.cv.Rois;
import io.linesight.rules.cv.Scratch;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Pattern search by normalised cross-correlation ({@code TM_CCOEFF_NORMED}), coarse to fine: every searched
 * rotation on a pyramid level where the pattern is still ≥ 16 px, then the best rotation and its neighbours at full
 * resolution in a small window, with parabolic sub-pixel refinement of position and angle.
 *
 * <p>The rotated templates are made once at construction and only read afterwards (shared by all workers). A
 * rotated template is cropped to the centre that stays inside the taught pattern for every searched angle, so the
 * corners filled by the rotation never count. Working images and score maps live in the worker's {@link Scratch}.
 */
public final class TemplateRule implements Rule {
    private static final int MIN_COARSE_SIDE = 16;

    private final TemplateRuleSpec spec;
    private final double[] angles;
    private final Mat[] fine;
    private final Mat[] coarse;
    private final int level;
    private final int cropX;
    private final int cropY;

    /** @param template the taught pattern, 8-bit, the size of {@code spec.pattern()} */
    public TemplateRule(TemplateRuleSpec spec, Mat template) {
        OpenCv.ensureLoaded();
        if (template.type() != CvType.CV_8UC1) {
            throw new IllegalArgumentException("template of rule " + spec.name() + " must be 8-bit greyscale");
        }
        if (template.cols() != spec.pattern().width() || template.rows() != spec.pattern().height()) {
            throw new IllegalArgumentException("template of rule " + spec.name() + " is " + template.cols() + "x"
                    + template.rows() + " px but its pattern is " + spec.pattern().width() + "x" + spec.pattern().height()
                    + ": teach it again");
        }
        this.spec = spec;
        int w = template.cols();
        int h = template.rows();
        double t = Math.toRadians(spec.angleRange());
        this.cropX = t == 0 ? 0 : (int) Math.ceil(0.5 * (h * Math.sin(t) + w * (1 - Math.cos(t)))) + 1;
        this.cropY = t == 0 ? 0 : (int) Math.ceil(0.5 * (w * Math.sin(t) + h * (1 - Math.cos(t)))) + 1;
        int cw = w - 2 * cropX;
        int ch = h - 2 * cropY;
        if (cw < 8 || ch < 8) {
            throw new IllegalArgumentException("pattern of rule " + spec.name() + " is too small for ±" + spec.angleRange() + "°");
        }
        int steps = spec.angleRange() == 0 ? 0 : (int) Math.round(spec.angleRange() / spec.angleStep());
        this.angles = new double[2 * steps + 1];
        for (int i = 0; i < angles.length; i++) {
            angles[i] = (i - steps) * (steps == 0 ? 0 : spec.angleRange() / steps);
        }
        int lv = 0;
        while (lv < 3 && Math.min(cw, ch) >> (lv + 1) >= MIN_COARSE_SIDE) {
            lv++;
        }
        this.level = lv;
        this.fine = new Mat[angles.length];
        this.coarse = new Mat[angles.length];
        Point centre = new Point((w - 1) / 2.0, (h - 1) / 2.0);
        for (int i = 0; i < angles.length; i++) {
            Mat rotated = new Mat();
            // OpenCV turns counter-clockwise for positive angles; our angles are clockwise (y down).
            Mat m = Imgproc.getRotationMatrix2D(centre, -angles[i], 1);
            Imgproc.warpAffine(template, rotated, m, new Size(w, h), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            fine[i] = rotated.submat(new Rect(cropX, cropY, cw, ch)).clone();
            coarse[i] = new Mat();
            Imgproc.resize(fine[i], coarse[i], new Size(Math.max(1, cw >> level), Math.max(1, ch >> level)), 0, 0,
                    Imgproc.INTER_AREA);
            rotated.release();
            m.release();
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String shot() {
        return spec.shot();
    }

    public boolean isFixture() {
        return spec.fixture();
    }

    public TemplateRuleSpec spec() {
        return spec;
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        return locate(frame, ctx).result();
    }

    /**
     * Finds the pattern; the returned context is {@code base} with the fixture placement found (null when the
     * pattern was not found or not where it may be).
     */
    public Located locate(Frame frame, RuleContext base) {
        long t0 = System.nanoTime();
        Rect rect = Rois.place(spec.roi(), base, frame.width(), frame.height());
        int cw = fine[0].cols();
        int ch = fine[0].rows();
        if (rect == null || rect.width < cw || rect.height < ch) {
            return new Located(RuleResult.error(name(), shot(), "search ROI lies outside the frame or is smaller than the "
                    + cw + "x" + ch + " pattern", System.nanoTime() - t0), null);
        }
        Scratch scratch = Scratch.get();
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        try {
            Mat src = OpenCv.to8Bit(view, frame.pixelFormat(), scratch.mat(Scratch.CONVERTED));
            Mat scores = scratch.mat(Scratch.WORK_A);
            // Coarse: every angle.
            Mat small = src;
            if (level > 0) {
                small = scratch.mat(Scratch.WORK_B);
                Imgproc.resize(src, small, new Size(src.cols() >> level, src.rows() >> level), 0, 0, Imgproc.INTER_AREA);
            }
            int bestK = 0;
            double bestCoarse = -2;
            Point bestLoc = new Point();
            for (int k = 0; k < angles.length; k++) {
                if (small.cols() < coarse[k].cols() || small.rows() < coarse[k].rows()) {
                    continue;
                }
                Imgproc.matchTemplate(small, coarse[k], scores, Imgproc.TM_CCOEFF_NORMED);
                Core.MinMaxLocResult mm = Core.minMaxLoc(scores);
                if (mm.maxVal > bestCoarse) {
                    bestCoarse = mm.maxVal;
                    bestK = k;
                    bestLoc = mm.maxLoc;
                }
            }
            // Fine: the best angle and its neighbours, in a window around the coarse hit.
            int pad = (1 << level) + 2;
            int wx = Math.max(0, (int) bestLoc.x * (1 << level) - pad);
            int wy = Math.max(0, (int) bestLoc.y * (1 << level) - pad);
            int ww = Math.min(src.cols() - wx, cw + 2 * pad);
            int wh = Math.min(src.rows() - wy, ch + 2 * pad);
            Mat window = src.submat(new Rect(wx, wy, ww, wh));
            // Hill-climb over the angles from the coarse winner (the coarse level may be one step off), then refine
            // the angle by a parabola through the best and its neighbours.
            double[] fineScores = new double[angles.length];
            double[][] fineLocs = new double[angles.length][];
            java.util.Arrays.fill(fineScores, Double.NaN);
            int kFine = bestK;
            for (int hop = 0; hop < angles.length; hop++) {
                int next = kFine;
                for (int k = Math.max(0, kFine - 1); k <= Math.min(angles.length - 1, kFine + 1); k++) {
                    if (Double.isNaN(fineScores[k])) {
                        Imgproc.matchTemplate(window, fine[k], scores, Imgproc.TM_CCOEFF_NORMED);
                        Core.MinMaxLocResult mm = Core.minMaxLoc(scores);
                        fineScores[k] = mm.maxVal;
                        fineLocs[k] = new double[] {
                            mm.maxLoc.x + subPixel(scores, (int) mm.maxLoc.x, (int) mm.maxLoc.y, true),
                            mm.maxLoc.y + subPixel(scores, (int) mm.maxLoc.x, (int) mm.maxLoc.y, false)};
                    }
                    if (fineScores[k] > fineScores[next]) {
                        next = k;
                    }
                }
                if (next == kFine) {
                    break;
                }
                kFine = next;
            }
            window.release();
            double score = fineScores[kFine];
            double lx = fineLocs[kFine][0];
            double ly = fineLocs[kFine][1];
            double angle = angles[kFine];
            if (kFine > 0 && kFine < angles.length - 1) {
                double sm = fineScores[kFine - 1];
                double sp = fineScores[kFine + 1];
                double den = sm - 2 * score + sp;
                if (den < 0) {
                    double step = angles[1] - angles[0];
                    angle += step * Math.clamp(0.5 * (sm - sp) / den, -0.5, 0.5);
                }
            }
            double fx = rect.x + wx + lx + (cw - 1) / 2.0;
            double fy = rect.y + wy + ly + (ch - 1) / 2.0;
            Roi p = spec.pattern();
            double tx = Rois.centreX(p);
            double ty = Rois.centreY(p);
            double dx = fx - tx;
            double dy = fy - ty;
            List<Measurement> ms = List.of(
                    new Measurement("score", score, "", spec.minScore(), null),
                    Measurement.of("x", fx, "px"), Measurement.of("y", fy, "px"), Measurement.of("angle", angle, "°"),
                    new Measurement("shift", Math.hypot(dx, dy), "px", null, spec.maxShift()));
            List<String> failures = new ArrayList<>();
            if (score < spec.minScore()) {
                failures.add(String.format(Locale.ROOT, "pattern not found: score %.3f < min %.3f", score, spec.minScore()));
            }
            if (spec.maxShift() != null && Math.hypot(dx, dy) > spec.maxShift()) {
                failures.add(String.format(Locale.ROOT, "pattern %.1f px from its taught place > max %.1f", Math.hypot(dx, dy),
                        spec.maxShift()));
            }
            boolean pass = failures.isEmpty();
            List<Overlay> overlays = List.of(new Overlay.Box(rect.x, rect.y, rect.width, rect.height, pass, name()),
                    outline(fx, fy, cw, ch, angle, pass, String.format(Locale.ROOT, "%.2f", score)));
            RuleResult result = new RuleResult(name(), shot(), pass, pass ? ReasonCode.NONE : ReasonCode.RULE_FAILED,
                    String.join("; ", failures), ms, overlays, System.nanoTime() - t0);
            return new Located(result, pass ? base.withFixture(dx, dy, angle, tx, ty) : null);
        } finally {
            view.release();
            full.release();
        }
    }

    /** Parabolic offset of the peak at (x, y) of a CV_32F score map, along x or y; 0 at the border. */
    private static double subPixel(Mat scores, int x, int y, boolean alongX) {
        int w = scores.cols();
        int h = scores.rows();
        if (alongX ? (x <= 0 || x >= w - 1) : (y <= 0 || y >= h - 1)) {
            return 0;
        }
        float[] v = new float[1];
        scores.get(alongX ? y : y - 1, alongX ? x - 1 : x, v);
        double m = v[0];
        scores.get(y, x, v);
        double c = v[0];
        scores.get(alongX ? y : y + 1, alongX ? x + 1 : x, v);
        double p = v[0];
        double den = m - 2 * c + p;
        return den >= 0 ? 0 : Math.clamp(0.5 * (m - p) / den, -0.5, 0.5);
    }

    private static Overlay outline(double cx, double cy, int w, int h, double angleDeg, boolean pass, String label) {
        double a = Math.toRadians(angleDeg);
        double c = Math.cos(a);
        double s = Math.sin(a);
        double[][] corners = {{-w / 2.0, -h / 2.0}, {w / 2.0, -h / 2.0}, {w / 2.0, h / 2.0}, {-w / 2.0, h / 2.0}};
        List<Double> pts = new ArrayList<>(8);
        for (double[] p : corners) {
            pts.add(cx + c * p[0] - s * p[1]);
            pts.add(cy + s * p[0] + c * p[1]);
        }
        return new Overlay.Polygon(pts, pass, label);
    }
}
