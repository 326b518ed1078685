/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.golden;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.GoldenRuleSpec;
import io.linesight.rules.AbstractRule;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.cv.Ncc;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.cv.Scratch;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Golden-sample comparison. The ROI is resampled from the frame into the golden image's coordinates through the
 * fixture placement (shift and rotation), aligned by correlation within ± {@code alignSearch} px (a climb from the
 * fixture's placement to the correlation peak, sub-pixel), and
 * compared pixel by pixel against a tolerance map made once from the tolerance, the golden image's own local
 * contrast (edges) and the mask. Pixels beyond it form defect blobs.
 *
 * <p>Golden image and tolerance map are made at construction and only read afterwards; the warped ROI, the
 * difference and the labels live in the worker's {@link Scratch}. They are native memory (an 8-bit copy of the ROI
 * and its tolerance map each), freed by {@link #close()} when the recipe is changed.
 */
public final class GoldenRule extends AbstractRule<GoldenRuleSpec> {
    private final Mat golden;
    private final Mat tolerance;
    /** Alignment correlates only a central patch of the golden image: enough texture, a fraction of the cost. */
    private final Rect alignPatch;
    private final Mat alignTemplate;
    private final double[] alignSums;
    private static final int ALIGN_PATCH = 160;

    /**
     * @param golden the taught ROI, 8-bit, the ROI's size; copied (the caller keeps and releases its Mat)
     * @param mask   per-pixel extra tolerance (255 = ignore), 8-bit, the ROI's size; or null; only read
     */
    public GoldenRule(GoldenRuleSpec spec, Mat golden, @Nullable Mat mask) {
        OpenCv.ensureLoaded();
        Roi roi = spec.roi();
        check(spec, golden, "golden image");
        if (mask != null) {
            check(spec, mask, "mask");
        }
        super(spec);
        this.golden = golden.clone();
        this.tolerance = new Mat();
        Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3));
        Mat contrast = new Mat();
        Imgproc.morphologyEx(golden, contrast, Imgproc.MORPH_GRADIENT, kernel);
        // tolerance = base + factor·contrast (+ mask), saturated at 255 (= never a defect).
        contrast.convertTo(tolerance, CvType.CV_8U, spec.edgeTolerance(), spec.tolerance());
        if (mask != null) {
            Core.add(tolerance, mask, tolerance);
        }
        contrast.release();
        kernel.release();
        int pw = Math.min(roi.width(), ALIGN_PATCH);
        int ph = Math.min(roi.height(), ALIGN_PATCH);
        this.alignPatch = new Rect((roi.width() - pw) / 2, (roi.height() - ph) / 2, pw, ph);
        this.alignTemplate = golden.submat(alignPatch).clone();
        this.alignSums = Ncc.templateSums(alignTemplate);
        assert tolerance.rows() == roi.height();
    }

    private static void check(GoldenRuleSpec spec, Mat m, String what) {
        if (m.type() != CvType.CV_8UC1 || m.cols() != spec.roi().width() || m.rows() != spec.roi().height()) {
            throw new IllegalArgumentException(what + " of rule " + spec.name() + " is " + m.cols() + "x" + m.rows() + " "
                    + CvType.typeToString(m.type()) + " but the ROI is " + spec.roi().width() + "x" + spec.roi().height()
                    + " (8-bit expected): teach it again");
        }
    }

    @Override
    protected void release() {
        golden.release();
        tolerance.release();
        alignTemplate.release();
    }

    /** The native images this rule holds (tests check that {@link #close()} frees them). */
    List<Mat> nativeImages() {
        return List.of(golden, tolerance, alignTemplate);
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        if (isClosed()) {
            return closedError(t0);
        }
        Roi roi = spec.roi();
        int s = spec.alignSearch();
        // The ROI's corners must land inside the frame (the margin may be replicated border).
        for (double[] corner : new double[][] {{roi.x(), roi.y()}, {roi.right() - 1, roi.bottom() - 1},
                {roi.right() - 1, roi.y()}, {roi.x(), roi.bottom() - 1}}) {
            double x = ctx.mapX(corner[0], corner[1]);
            double y = ctx.mapY(corner[0], corner[1]);
            if (x < 0 || y < 0 || x > frame.width() - 1 || y > frame.height() - 1) {
                return roiOutside(frame, t0);
            }
        }
        Scratch scratch = Scratch.get();
        Mat full = OpenCv.wrap(frame);
        Mat warped = scratch.mat(Scratch.WORK_B);
        Mat aligned = scratch.mat(Scratch.WORK_C);
        Mat matrix = scratch.mat(Scratch.WORK_E);
        try {
            double shiftX = 0;
            double shiftY = 0;
            double alignScore = Double.NaN;
            if (s > 0) {
                warp(full, frame, ctx, roi.x() + alignPatch.x - s, roi.y() + alignPatch.y - s, alignPatch.width + 2 * s,
                        alignPatch.height + 2 * s, warped, matrix);
                double[] found = align(warped, s);
                alignScore = found[2];
                shiftX = found[0] - s;
                shiftY = found[1] - s;
            }
            warp(full, frame, ctx, roi.x() + shiftX, roi.y() + shiftY, roi.width(), roi.height(), aligned, matrix);
            Mat diff = scratch.mat(Scratch.WORK_A);
            Core.absdiff(aligned, golden, diff);
            Mat defects = scratch.mat(Scratch.BINARY);
            Core.compare(diff, tolerance, defects, Core.CMP_GT);
            Mat labels = scratch.mat(Scratch.HIERARCHY);
            Mat stats = scratch.mat(Scratch.WORK_D);
            Mat centroids = scratch.mat(Scratch.CONVERTED);
            // Label only the box around the differing pixels: a good part has none or a few, and labelling the whole
            // ROI costs more than everything else here. Components never reach outside that box, so they are the same.
            Rect box = Imgproc.boundingRect(defects);
            int n = 1;
            if (box.width > 0 && box.height > 0) {
                Mat differing = defects.submat(box);
                n = Imgproc.connectedComponentsWithStats(differing, labels, stats, centroids, 8, CvType.CV_32S);
                differing.release();
            }
            int[] st = new int[Math.max(0, n - 1) * 5];
            if (n > 1) {
                stats.get(1, 0, st);
            }
            int count = 0;
            double largest = 0;
            double total = 0;
            List<Overlay> overlays = new ArrayList<>();
            overlays.add(null);
            for (int i = 0; i < n - 1; i++) {
                int area = st[i * 5 + Imgproc.CC_STAT_AREA];
                if (area < spec.minDefectArea()) {
                    continue;
                }
                count++;
                largest = Math.max(largest, area);
                total += area;
                if (overlays.size() <= 50) {
                    double u = roi.x() + shiftX + box.x + st[i * 5] + st[i * 5 + 2] / 2.0;
                    double v = roi.y() + shiftY + box.y + st[i * 5 + 1] + st[i * 5 + 3] / 2.0;
                    double w = st[i * 5 + 2];
                    double h = st[i * 5 + 3];
                    overlays.add(new Overlay.Box(ctx.mapX(u, v) - w / 2, ctx.mapY(u, v) - h / 2, w, h, false, area + " px²"));
                }
            }
            List<Measurement> ms = new ArrayList<>(6);
            ms.add(new Measurement("defects", count, "", null, (double) spec.maxDefects()));
            ms.add(Measurement.of("largestArea", largest, "px²"));
            ms.add(new Measurement("totalArea", total, "px²", null, spec.maxTotalArea()));
            ms.add(Measurement.of("shiftX", shiftX, "px"));
            ms.add(Measurement.of("shiftY", shiftY, "px"));
            if (!Double.isNaN(alignScore)) {
                ms.add(Measurement.of("alignScore", alignScore, ""));
            }
            List<String> failures = new ArrayList<>();
            if (count > spec.maxDefects()) {
                failures.add(String.format(Locale.ROOT, "%d differences from the golden image > max %d (largest %.0f px²)",
                        count, spec.maxDefects(), largest));
            }
            if (spec.maxTotalArea() != null && total > spec.maxTotalArea()) {
                failures.add(String.format(Locale.ROOT, "difference area %.0f px² > max %.0f", total, spec.maxTotalArea()));
            }
            boolean pass = failures.isEmpty();
            double cx = roi.x() + roi.width() / 2.0;
            double cy = roi.y() + roi.height() / 2.0;
            overlays.set(0, new Overlay.Box(ctx.mapX(cx, cy) - roi.width() / 2.0, ctx.mapY(cx, cy) - roi.height() / 2.0,
                    roi.width(), roi.height(), pass, name() + " n=" + count));
            return judged(failures, ms, overlays, t0);
        } finally {
            full.release();
        }
    }

    /**
     * Resamples the frame region whose taught top-left is (x0, y0) into {@code dst} (w×h, 8-bit), through the
     * fixture placement: dst(u, v) = frame(ctx.map(x0 + u, y0 + v)).
     */
    private static void warp(Mat full, Frame frame, RuleContext ctx, double x0, double y0, int w, int h, Mat dst, Mat matrix) {
        double a = Math.toRadians(ctx.angleDeg());
        double c = Math.cos(a);
        double sn = Math.sin(a);
        double tx = ctx.mapX(x0, y0);
        double ty = ctx.mapY(x0, y0);
        matrix.create(2, 3, CvType.CV_64F);
        matrix.put(0, 0, c, -sn, tx, sn, c, ty);
        Mat target = dst;
        Mat wide = null;
        if (full.depth() != CvType.CV_8U) {
            wide = new Mat();
            target = wide;
        }
        Imgproc.warpAffine(full, target, matrix, new Size(w, h), Imgproc.INTER_LINEAR | Imgproc.WARP_INVERSE_MAP,
                Core.BORDER_REPLICATE, new Scalar(0));
        if (wide != null) {
            wide.convertTo(dst, CvType.CV_8U, 255.0 / frame.pixelFormat().maxValue());
            wide.release();
        }
    }

    /**
     * Climbs the correlation of the alignment patch over the (2s+1)² offsets of {@code warped}, from the centre (the
     * fixture's placement) to the offset whose 3×3 neighbours all score lower, and refines it by parabolas: x, y
     * (offsets into {@code warped}) and the score. The correlation of a part with its own golden image has one peak
     * near the fixture's placement; a climb finds it in a few dozen evaluations of a small patch where
     * {@code matchTemplate} pays a DFT of the patch per call.
     */
    private double[] align(Mat warped, int s) {
        int x = s;
        int y = s;
        double[] v = new double[9];
        for (int move = 0; move <= 2 * s; move++) {
            int best = 4;
            for (int i = 0; i < 9; i++) {
                int px = x + i % 3 - 1;
                int py = y + i / 3 - 1;
                v[i] = px < 0 || py < 0 || px > 2 * s || py > 2 * s ? Double.NaN
                        : Ncc.at(warped, px, py, alignTemplate, alignSums[0], alignSums[1]);
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            if (best == 4) {
                break;
            }
            x += best % 3 - 1;
            y += best / 3 - 1;
        }
        return new double[] {x + Ncc.parabola(v[3], v[4], v[5]), y + Ncc.parabola(v[1], v[4], v[7]), v[4]};
    }
}
