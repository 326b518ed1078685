/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.circle;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.rules.AbstractRule;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.calibration.Lengths;
import io.linesight.rules.calibration.ShotCalibration;
import io.linesight.rules.cv.EdgeProfile;
import io.linesight.rules.cv.EdgeProfile.Edge;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.cv.PixelSampler;
import io.linesight.rules.cv.Scratch;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;
import org.opencv.imgproc.Moments;

/**
 * Hole presence, diameter and position. A first estimate comes from the largest Otsu blob of the right polarity in
 * the ROI (centroid and equivalent radius); then rays from that centre find one sub-pixel edge each, and
 * {@link CircleFit} fits the circle. The threshold image lives in the worker's {@link Scratch}; ray profiles in
 * per-thread arrays.
 */
public final class CircleRule extends AbstractRule<CircleRuleSpec> {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final @Nullable ShotCalibration calibration;

    public CircleRule(CircleRuleSpec spec, @Nullable ShotCalibration calibration) {
        super(spec);
        this.calibration = calibration;
        OpenCv.ensureLoaded();
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        Lengths lengths = Lengths.of(spec.unit(), calibration, ctx);
        if (lengths == null) {
            return error("unit mm needs a calibration of shot " + shot(), t0);
        }
        Rect rect = placeRoi(frame, ctx);
        if (rect == null) {
            return roiOutside(frame, t0);
        }
        double[] estimate = estimate(frame, rect);
        Overlay.Box box = new Overlay.Box(rect.x, rect.y, rect.width, rect.height, false, name());
        if (estimate == null) {
            return failed("no " + spec.polarity().name().toLowerCase(Locale.ROOT) + " circle found in the ROI",
                    List.of(Measurement.of("present", 0, "")), List.of(box), t0);
        }
        Buffers b = BUFFERS.get().ensure(spec.rays(), (int) Math.ceil(estimate[2] * 1.2) + 12);
        PixelSampler px = new PixelSampler(frame);
        int points = rays(px, estimate, b);
        CircleFit.Circle c = points >= 3 ? CircleFit.fit(b.xs, b.ys, points, b.used) : null;
        double fraction = c == null ? 0 : c.inliers() / (double) spec.rays();
        if (c == null || fraction < spec.minEdgeFraction()) {
            return failed(String.format(Locale.ROOT, "circle edge found on %.0f%% of rays < min %.0f%%", 100 * fraction,
                    100 * spec.minEdgeFraction()), List.of(Measurement.of("present", 0, "")), List.of(box), t0);
        }
        String unit = lengths.symbol();
        List<Measurement> ms = new ArrayList<>(6);
        ms.add(Measurement.of("present", 1, ""));
        double diameter = lengths.between(c.cx() - c.r(), c.cy(), c.cx() + c.r(), c.cy());
        ms.add(new Measurement("diameter", diameter, unit, spec.minDiameter(), spec.maxDiameter()));
        ms.add(Measurement.of("centreX", c.cx(), "px"));
        ms.add(Measurement.of("centreY", c.cy(), "px"));
        ms.add(Measurement.of("roundness", c.rms(), "px"));
        if (spec.datumX() != null && spec.datumY() != null) {
            double dx = ctx.mapX(spec.datumX(), spec.datumY());
            double dy = ctx.mapY(spec.datumX(), spec.datumY());
            ms.add(new Measurement("offset", lengths.between(dx, dy, c.cx(), c.cy()), unit, null, spec.maxOffset()));
        }
        List<String> failures = outOfLimits(ms, unit);
        boolean pass = failures.isEmpty();
        List<Overlay> overlays = List.of(new Overlay.Box(rect.x, rect.y, rect.width, rect.height, pass, name()),
                new Overlay.Circle(c.cx(), c.cy(), c.r(), pass, String.format(Locale.ROOT, "Ø%.3f %s", diameter, unit)));
        return judged(failures, ms, overlays, t0);
    }

    /** {cx, cy, r} of the largest blob of the spec's polarity (frame px), or null. */
    private double @Nullable [] estimate(Frame frame, Rect rect) {
        Scratch scratch = Scratch.get();
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        List<MatOfPoint> contours = new ArrayList<>();
        try {
            Mat src = OpenCv.to8Bit(view, frame.pixelFormat(), scratch.mat(Scratch.CONVERTED));
            Mat binary = scratch.mat(Scratch.BINARY);
            int inv = spec.polarity() == CircleRuleSpec.Polarity.DARK ? Imgproc.THRESH_BINARY_INV : Imgproc.THRESH_BINARY;
            Imgproc.threshold(src, binary, 0, 255, inv | Imgproc.THRESH_OTSU);
            Imgproc.findContours(binary, contours, scratch.mat(Scratch.HIERARCHY), Imgproc.RETR_EXTERNAL,
                    Imgproc.CHAIN_APPROX_NONE);
            MatOfPoint best = null;
            double bestArea = 0;
            for (MatOfPoint c : contours) {
                double area = Imgproc.contourArea(c);
                if (area > bestArea) {
                    bestArea = area;
                    best = c;
                }
            }
            if (best == null || bestArea < 12) {
                return null;
            }
            Moments m = Imgproc.moments(best);
            return new double[] {rect.x + m.m10 / m.m00, rect.y + m.m01 / m.m00, Math.sqrt(bestArea / Math.PI)};
        } finally {
            for (MatOfPoint c : contours) {
                c.release();
            }
            view.release();
            full.release();
        }
    }

    /** Casts the rays; fills b.xs/b.ys with one edge point per ray that found one; returns how many. */
    private int rays(PixelSampler px, double[] estimate, Buffers b) {
        double cx = estimate[0];
        double cy = estimate[1];
        double r0 = estimate[2];
        double start = Math.max(1, 0.5 * r0 - 2);
        int n = (int) Math.ceil(r0 * 1.2) + 8;
        boolean rising = spec.polarity() == CircleRuleSpec.Polarity.DARK;
        int points = 0;
        for (int k = 0; k < spec.rays(); k++) {
            double a = 2 * Math.PI * k / spec.rays();
            double ux = Math.cos(a);
            double uy = Math.sin(a);
            int len = 0;
            for (int i = 0; i < n; i++) {
                double v = px.bilinear(cx + (start + i) * ux, cy + (start + i) * uy);
                if (Double.isNaN(v)) {
                    break;
                }
                b.profile[len++] = v;
            }
            int found = EdgeProfile.edges(b.profile, len, spec.minContrast(), b.gradient, b.edges);
            Edge best = null;
            for (int e = 0; e < found; e++) {
                Edge edge = b.edges[e];
                if (edge.rising() == rising && (best == null || Math.abs(edge.strength()) > Math.abs(best.strength()))) {
                    best = edge;
                }
            }
            if (best != null) {
                double r = start + best.position();
                b.xs[points] = cx + r * ux;
                b.ys[points] = cy + r * uy;
                points++;
            }
        }
        return points;
    }

    /** Arrays of one worker thread. */
    private static final class Buffers {
        double[] xs = new double[0];
        double[] ys = new double[0];
        boolean[] used = new boolean[0];
        double[] profile = new double[0];
        double[] gradient = new double[0];
        final Edge[] edges = new Edge[64];

        Buffers ensure(int rays, int len) {
            if (xs.length < rays) {
                xs = new double[rays];
                ys = new double[rays];
                used = new boolean[rays];
            }
            if (profile.length < len) {
                profile = new double[len];
                gradient = new double[len];
            }
            return this;
        }
    }
}
