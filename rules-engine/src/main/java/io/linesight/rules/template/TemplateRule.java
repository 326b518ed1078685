/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.template;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.AbstractRule;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.cv.Ncc;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.cv.Rois;
import io.linesight.rules.cv.Scratch;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Pattern search by normalised cross-correlation ({@code TM_CCOEFF_NORMED}), coarse to fine over an image pyramid
 * (each level a 2×2 average of the one below, for the search region and the templates alike, so a position on
 * level l is 2<sup>l</sup> full-resolution pixels):
 * <ol>
 * <li>on the coarsest level where the pattern is still ≥ 16 px, the searched rotations over the whole search
 * region ({@code matchTemplate}); every one, or every second (third…) where neighbouring angles move the coarse
 * template's corners by less than half a pixel;</li>
 * <li>on each finer level down to full resolution, a hill-climb from twice the previous (sub-pixel) peak: the
 * score of a position is computed directly ({@link Ncc}, exactly TM_CCOEFF_NORMED), the position moves to its best
 * direct neighbour while one is higher and then checks the diagonal between its higher neighbours, and the rotation
 * moves to a neighbouring angle while that scores higher;</li>
 * <li>at full resolution, parabolic sub-pixel refinement of position (3×3 neighbourhood of the peak) and angle
 * (the best angle and its two neighbours).</li>
 * </ol>
 * A full-resolution {@code matchTemplate} of a large pattern costs a DFT of the pattern per angle; the climb
 * evaluates a few dozen positions instead. {@code FixtureTrackingTest} and {@code CoarseToFineTest} check that it
 * lands where an exhaustive full-resolution search does.
 *
 * <p>The rotated templates and their pyramids are made once at construction and only read afterwards (shared by
 * all workers). A rotated template is cropped to the centre that stays inside the taught pattern for every searched
 * angle, so the corners filled by the rotation never count. The search pyramid and score map live in the worker's
 * {@link Scratch}. The templates are native memory, freed by {@link #close()} when the recipe is changed.
 */
public final class TemplateRule extends AbstractRule<TemplateRuleSpec> {
    private static final int MIN_COARSE_SIDE = 16;
    private static final int MAX_LEVEL = 4;
    /** Scratch slots of the search pyramid's levels 1..4 (level 0 is the frame itself). */
    private static final int[] LEVEL_SLOTS = {-1, Scratch.WORK_B, Scratch.WORK_C, Scratch.WORK_D, Scratch.WORK_E};
    /** Bound on hill-climb moves per level and angle: a climb that wanders further has lost the peak. */
    private static final int MAX_MOVES = 16;

    private final double[] angles;
    /** templates[level][angle]: level 0 is the cropped rotated pattern, each next level its 2×2 average. */
    private final Mat[][] templates;
    /** Per level and angle: sum and sum of squares of the template's pixels (for the direct NCC). */
    private final double[][] sumT;
    private final double[][] varT;
    private final int level;
    /**
     * Every how many angles the coarsest level is searched: neighbours that turn the coarse template's corners by
     * less than half a pixel look alike there (the finer levels climb the angle in single steps anyway).
     */
    private final int coarseStride;
    private final int cropX;
    private final int cropY;

    /** @param template the taught pattern, 8-bit, the size of {@code spec.pattern()}; only read (the caller releases it) */
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
        super(spec);
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
        while (lv < MAX_LEVEL && Math.min(cw, ch) >> (lv + 1) >= MIN_COARSE_SIDE) {
            lv++;
        }
        this.level = lv;
        double halfDiagonal = 0.5 * Math.hypot(cw >> lv, ch >> lv);
        double resolvableDeg = Math.toDegrees(0.5 / Math.max(1, halfDiagonal));
        double step = angles.length > 1 ? angles[1] - angles[0] : 1;
        this.coarseStride = Math.max(1, (int) Math.floor(resolvableDeg / step));
        this.templates = new Mat[level + 1][angles.length];
        this.sumT = new double[level + 1][angles.length];
        this.varT = new double[level + 1][angles.length];
        Point centre = new Point((w - 1) / 2.0, (h - 1) / 2.0);
        for (int i = 0; i < angles.length; i++) {
            Mat rotated = new Mat();
            // OpenCV turns counter-clockwise for positive angles; our angles are clockwise (y down).
            Mat m = Imgproc.getRotationMatrix2D(centre, -angles[i], 1);
            Imgproc.warpAffine(template, rotated, m, new Size(w, h), Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
            templates[0][i] = rotated.submat(new Rect(cropX, cropY, cw, ch)).clone();
            for (int l = 1; l <= level; l++) {
                templates[l][i] = new Mat();
                halve(templates[l - 1][i], templates[l][i]);
            }
            for (int l = 0; l <= level; l++) {
                Mat tl = templates[l][i];
                double[] sums = Ncc.templateSums(tl);
                sumT[l][i] = sums[0];
                varT[l][i] = sums[1];
            }
            rotated.release();
            m.release();
        }
    }

    /** The next angle searched on the coarsest level: {@link #coarseStride} on, and the last angle always. */
    private int nextCoarse(int k) {
        return k == angles.length - 1 ? angles.length : Math.min(k + coarseStride, angles.length - 1);
    }

    /** The next pyramid level: the 2×2 average of {@code src} cut to even size, so levels stay pixel-aligned. */
    private static void halve(Mat src, Mat dst) {
        int w = src.cols() & ~1;
        int h = src.rows() & ~1;
        Mat even = src.submat(0, h, 0, w);
        Imgproc.resize(even, dst, new Size(w / 2, h / 2), 0, 0, Imgproc.INTER_AREA);
        even.release();
    }

    public boolean isFixture() {
        return spec.fixture();
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        return locate(frame, ctx).result();
    }

    /** The native images this rule holds (tests check that {@link #close()} frees them). */
    List<Mat> nativeImages() {
        return Arrays.stream(templates).flatMap(Arrays::stream).toList();
    }

    @Override
    protected void release() {
        for (Mat[] level : templates) {
            for (Mat t : level) {
                t.release();
            }
        }
    }

    /**
     * Finds the pattern; the returned context is {@code base} with the fixture placement found (null when the
     * pattern was not found or not where it may be).
     */
    public Located locate(Frame frame, RuleContext base) {
        long t0 = System.nanoTime();
        if (isClosed()) {
            return new Located(closedError(t0), null);
        }
        // The search region alone may be clipped: the pattern found inside the frame is really there, and one that
        // lies beyond the edge is not found (a fixture that finds nothing measures no other rule).
        Rect rect = Rois.place(spec.roi(), base, frame.width(), frame.height());
        int cw = templates[0][0].cols();
        int ch = templates[0][0].rows();
        if (rect == null || rect.width < cw || rect.height < ch) {
            return new Located(error("search ROI lies outside the frame or is smaller than the " + cw + "x" + ch
                    + " pattern", t0), null);
        }
        Scratch scratch = Scratch.get();
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        try {
            Mat[] pyramid = new Mat[level + 1];
            pyramid[0] = OpenCv.to8Bit(view, frame.pixelFormat(), scratch.mat(Scratch.CONVERTED));
            for (int l = 1; l <= level; l++) {
                pyramid[l] = scratch.mat(LEVEL_SLOTS[l]);
                halve(pyramid[l - 1], pyramid[l]);
            }
            // Coarsest level: every angle, everywhere.
            Mat scores = scratch.mat(Scratch.WORK_A);
            Mat small = pyramid[level];
            int bestK = 0;
            double bestCoarse = -2;
            Point bestLoc = new Point();
            for (int k = 0; k < angles.length; k = nextCoarse(k)) {
                Mat tk = templates[level][k];
                if (small.cols() < tk.cols() || small.rows() < tk.rows()) {
                    continue;
                }
                Imgproc.matchTemplate(small, tk, scores, Imgproc.TM_CCOEFF_NORMED);
                Core.MinMaxLocResult mm = Core.minMaxLoc(scores);
                if (mm.maxVal > bestCoarse) {
                    bestCoarse = mm.maxVal;
                    bestK = k;
                    bestLoc = mm.maxLoc;
                }
            }
            // Finer levels: climb from twice the position above.
            int x = (int) bestLoc.x;
            int y = (int) bestLoc.y;
            int kBest = bestK;
            Peak[] peaks = new Peak[angles.length];
            double subX = 0;
            double subY = 0;
            for (int l = level - 1; l >= 0; l--) {
                Arrays.fill(peaks, null);
                // Start where the peak above, refined to its sub-pixel place, lands on this level.
                kBest = climbAngles(pyramid[l], l, kBest, (int) Math.round(2 * (x + subX)), (int) Math.round(2 * (y + subY)),
                        peaks);
                x = peaks[kBest].x;
                y = peaks[kBest].y;
                subX = peaks[kBest].subX;
                subY = peaks[kBest].subY;
            }
            if (level == 0) {
                kBest = climbAngles(pyramid[0], 0, kBest, x, y, peaks);
            }
            Peak best = peaks[kBest];
            double score = best.score;
            double lx = best.x + best.subX;
            double ly = best.y + best.subY;
            int kFine = kBest;
            double angle = angles[kFine];
            if (kFine > 0 && kFine < angles.length - 1 && peaks[kFine - 1] != null && peaks[kFine + 1] != null) {
                double sm = peaks[kFine - 1].score;
                double sp = peaks[kFine + 1].score;
                double den = sm - 2 * score + sp;
                if (den < 0) {
                    double step = angles[1] - angles[0];
                    angle += step * Math.clamp(0.5 * (sm - sp) / den, -0.5, 0.5);
                }
            }
            double fx = rect.x + lx + (cw - 1) / 2.0;
            double fy = rect.y + ly + (ch - 1) / 2.0;
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
            RuleResult result = judged(failures, ms, overlays, t0);
            return new Located(result, pass ? base.withFixture(dx, dy, angle, tx, ty) : null);
        } finally {
            view.release();
            full.release();
        }
    }

    /** The best of one angle on one level after a climb: position, score, parabolic sub-pixel offsets. */
    private record Peak(int x, int y, double score, double subX, double subY) {
    }

    /**
     * Climbs position and angle on one pyramid level from angle {@code k} at (x0, y0): each angle visited is
     * climbed in position from (x0, y0); the angle moves to a neighbour while the neighbour's peak is higher. Fills
     * {@code peaks} for every angle visited and returns the best angle's index.
     */
    private int climbAngles(Mat img, int l, int k, int x0, int y0, Peak[] peaks) {
        int kBest = k;
        if (peaks[k] == null) {
            peaks[k] = climb(img, l, k, x0, y0);
        }
        for (int hop = 0; hop < angles.length; hop++) {
            int next = kBest;
            for (int j = Math.max(0, kBest - 1); j <= Math.min(angles.length - 1, kBest + 1); j++) {
                if (peaks[j] == null) {
                    // A neighbouring angle peaks close to where this one did.
                    peaks[j] = climb(img, l, j, peaks[kBest].x, peaks[kBest].y);
                }
                if (peaks[j].score > peaks[next].score) {
                    next = j;
                }
            }
            if (next == kBest) {
                break;
            }
            kBest = next;
        }
        return kBest;
    }

    /**
     * Climbs from (x, y) to a position whose 3×3 neighbours all score lower: moves to the best of the four direct
     * neighbours while one is higher (the one it came from is known lower), and when none is, checks the diagonal
     * between its higher direct neighbours before stopping (a ridge along a diagonal).
     * The peak gets its parabolic sub-pixel offsets.
     */
    private Peak climb(Mat img, int l, int k, int x, int y) {
        Mat t = templates[l][k];
        int maxX = img.cols() - t.cols();
        int maxY = img.rows() - t.rows();
        x = Math.clamp(x, 0, maxX);
        y = Math.clamp(y, 0, maxY);
        double c = ncc(img, l, k, x, y);
        // Scores of the direct neighbours: left, right, up, down (NaN outside the search region).
        double[] n = new double[4];
        int cameFrom = -1;
        double cameScore = Double.NaN;
        for (int move = 0; move < MAX_MOVES; move++) {
            int best = -1;
            double bestScore = c;
            for (int i = 0; i < 4; i++) {
                if (i == cameFrom) {
                    n[i] = cameScore;
                    continue;
                }
                n[i] = score(img, l, k, x + DX[i], y + DY[i], maxX, maxY);
                if (n[i] > bestScore) {
                    best = i;
                    bestScore = n[i];
                }
            }
            if (best < 0) {
                // A ridge along a diagonal rises on both direct neighbours on its side: check that diagonal only.
                int i = diagonal(n[0], n[1], n[2], n[3]);
                double d = score(img, l, k, x + DX[i], y + DY[i], maxX, maxY);
                if (!(d > c)) {
                    break;
                }
                best = i;
                bestScore = d;
            }
            cameFrom = best < 4 ? best ^ 1 : -1;
            cameScore = c;
            x += DX[best];
            y += DY[best];
            c = bestScore;
            if (move == MAX_MOVES - 1) {
                for (int i = 0; i < 4; i++) {
                    n[i] = score(img, l, k, x + DX[i], y + DY[i], maxX, maxY);
                }
            }
        }
        return new Peak(x, y, c, parabola(n[0], c, n[1]), parabola(n[2], c, n[3]));
    }

    /** Index into DX/DY of the diagonal between the higher horizontal and the higher vertical neighbour. */
    private static int diagonal(double left, double right, double up, double down) {
        boolean toRight = right > left || Double.isNaN(left);
        boolean toDown = down > up || Double.isNaN(up);
        return 4 + (toRight ? 1 : 0) + (toDown ? 2 : 0);
    }

    /** Left, right, up, down (so that i ^ 1 is the opposite), then the diagonals. */
    private static final int[] DX = {-1, 1, 0, 0, -1, 1, -1, 1};
    private static final int[] DY = {0, 0, -1, 1, -1, -1, 1, 1};

    private double score(Mat img, int l, int k, int x, int y, int maxX, int maxY) {
        return x < 0 || y < 0 || x > maxX || y > maxY ? Double.NaN : ncc(img, l, k, x, y);
    }

    private double ncc(Mat img, int l, int k, int x, int y) {
        return Ncc.at(img, x, y, templates[l][k], sumT[l][k], varT[l][k]);
    }

    private static double parabola(double m, double c, double p) {
        return Ncc.parabola(m, c, p);
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
