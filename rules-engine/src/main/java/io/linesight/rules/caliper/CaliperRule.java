/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.caliper;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.CaliperRuleSpec;
import io.linesight.config.recipe.rule.CaliperRuleSpec.EdgePolarity;
import io.linesight.rules.AbstractRule;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.calibration.Lengths;
import io.linesight.rules.calibration.ShotCalibration;
import io.linesight.rules.cv.EdgeProfile;
import io.linesight.rules.cv.EdgeProfile.Edge;
import io.linesight.rules.cv.PixelSampler;
import io.linesight.rules.cv.Rois;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Edge pairs along a rotated rectangle. The rectangle (ROI turned by its angle plus the fixture's) is sampled
 * bilinearly into a profile along its length, averaged across its height; {@link EdgeProfile} finds sub-pixel
 * edges. Works in Java on the frame's buffer: a caliper reads a few thousand pixels, so copying or warping a Mat
 * would cost more than it saves. The profile arrays are per worker thread.
 */
public final class CaliperRule extends AbstractRule<CaliperRuleSpec> {
    private static final int MAX_EDGES = 256;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private final @Nullable ShotCalibration calibration;

    public CaliperRule(CaliperRuleSpec spec, @Nullable ShotCalibration calibration) {
        super(spec);
        this.calibration = calibration;
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        Lengths lengths = Lengths.of(spec.unit(), calibration, ctx);
        if (lengths == null) {
            return error("unit mm needs a calibration of shot " + shot(), t0);
        }
        Roi roi = spec.roi();
        int n = roi.width();
        int rows = roi.height();
        double cx0 = Rois.centreX(roi);
        double cy0 = Rois.centreY(roi);
        double cx = ctx.mapX(cx0, cy0);
        double cy = ctx.mapY(cx0, cy0);
        double a = Math.toRadians(spec.angleDeg() + ctx.angleDeg());
        double ux = Math.cos(a);
        double uy = Math.sin(a);
        // Across the scan: the scan direction turned by +90° (y down).
        double vx = -uy;
        double vy = ux;
        Buffers b = BUFFERS.get().ensure(n);
        PixelSampler px = new PixelSampler(frame);
        double half = (n - 1) / 2.0;
        double halfRows = (rows - 1) / 2.0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < rows; j++) {
                double s = i - half;
                double t = j - halfRows;
                double v = px.bilinear(cx + s * ux + t * vx, cy + s * uy + t * vy);
                if (Double.isNaN(v)) {
                    return error("caliper reaches outside the " + frame.width() + "x" + frame.height() + " frame", t0);
                }
                sum += v;
            }
            b.profile[i] = sum / rows;
        }
        EdgeProfile.smooth(b.profile, n, spec.smoothing(), b.tmp);
        int found = EdgeProfile.edges(b.profile, n, spec.minContrast(), spec.smoothing(), b.gradient, b.edges);
        @Nullable Edge first = null;
        @Nullable Edge second = null;
        for (int k = 0; k < found && first == null; k++) {
            if (matches(b.edges[k], spec.firstEdge())) {
                first = b.edges[k];
            }
        }
        if (first != null && spec.pairing() != CaliperRuleSpec.Pairing.SINGLE) {
            for (int k = 0; k < found; k++) {
                Edge e = b.edges[k];
                if (e.position() > first.position() && matches(e, spec.secondEdge())) {
                    second = e;
                    if (spec.pairing() == CaliperRuleSpec.Pairing.ADJACENT) {
                        break;
                    }
                }
            }
        }
        List<Overlay> overlays = new ArrayList<>(3);
        overlays.add(outline(cx, cy, ux, uy, vx, vy, half, halfRows, true));
        boolean needsPair = spec.pairing() != CaliperRuleSpec.Pairing.SINGLE;
        if (first == null || (needsPair && second == null)) {
            String missing = first == null ? describe(spec.firstEdge()) + " edge" : "second " + describe(spec.secondEdge()) + " edge";
            overlays.set(0, outline(cx, cy, ux, uy, vx, vy, half, halfRows, false));
            return failed(String.format(Locale.ROOT, "no %s found (min contrast %.0f, %d edges in profile)", missing,
                    spec.minContrast(), found), List.of(Measurement.of("edges", found, "")), overlays, t0);
        }
        String unit = lengths.symbol();
        List<Measurement> ms = new ArrayList<>(5);
        double s1 = first.position() - half;
        double x1 = cx + s1 * ux;
        double y1 = cy + s1 * uy;
        double centre = s1;
        if (second != null) {
            double s2 = second.position() - half;
            double x2 = cx + s2 * ux;
            double y2 = cy + s2 * uy;
            ms.add(new Measurement("width", lengths.between(x1, y1, x2, y2), unit, spec.minWidth(), spec.maxWidth()));
            centre = (s1 + s2) / 2;
            overlays.add(edgeLine(x2, y2, vx, vy, halfRows));
        }
        double position = Math.signum(centre) * lengths.between(cx, cy, cx + centre * ux, cy + centre * uy);
        ms.add(new Measurement("position", position, unit, spec.minPosition(), spec.maxPosition()));
        ms.add(Measurement.of("edge1X", x1, "px"));
        ms.add(Measurement.of("edge1Y", y1, "px"));
        ms.add(Measurement.of("contrast1", Math.abs(first.strength()), "grey"));
        overlays.add(edgeLine(x1, y1, vx, vy, halfRows));
        List<String> failures = outOfLimits(ms, unit);
        overlays.set(0, outline(cx, cy, ux, uy, vx, vy, half, halfRows, failures.isEmpty()));
        return judged(failures, ms, overlays, t0);
    }

    private static boolean matches(Edge e, EdgePolarity p) {
        return p == EdgePolarity.ANY || (p == EdgePolarity.RISING) == e.rising();
    }

    private static String describe(EdgePolarity p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private Overlay outline(double cx, double cy, double ux, double uy, double vx, double vy, double h, double hr, boolean pass) {
        double[][] corners = {{-h, -hr}, {h, -hr}, {h, hr}, {-h, hr}};
        List<Double> pts = new ArrayList<>(8);
        for (double[] c : corners) {
            pts.add(cx + c[0] * ux + c[1] * vx);
            pts.add(cy + c[0] * uy + c[1] * vy);
        }
        return new Overlay.Polygon(pts, pass, name());
    }

    private static Overlay edgeLine(double x, double y, double vx, double vy, double hr) {
        double r = Math.max(hr, 3);
        return new Overlay.Line(x - r * vx, y - r * vy, x + r * vx, y + r * vy, true, "");
    }

    /** Profile arrays of one worker thread, grown to the longest caliper it has run. */
    private static final class Buffers {
        double[] profile = new double[0];
        double[] gradient = new double[0];
        double[] tmp = new double[0];
        final Edge[] edges = new Edge[MAX_EDGES];

        Buffers ensure(int n) {
            if (profile.length < n) {
                profile = new double[n];
                gradient = new double[n];
                tmp = new double[n];
            }
            return this;
        }
    }
}
