/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.intensity;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
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
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * Mean, standard deviation (texture), minimum, maximum and percentiles of the grey level in an ROI, each checked
 * against optional limits. Percentiles come from a histogram over the format's full range (one bin per grey level)
 * held in the worker thread's {@link Scratch}.
 */
public final class IntensityRule implements Rule {
    static {
        OpenCv.ensureLoaded(); // before the native constants below
    }

    private static final MatOfInt CHANNEL_0 = new MatOfInt(0);
    private static final Mat NO_MASK = new Mat();
    private static final ThreadLocal<float[]> HISTOGRAM = ThreadLocal.withInitial(() -> new float[65536]);

    private final IntensityRuleSpec spec;

    public IntensityRule(IntensityRuleSpec spec) {
        this.spec = spec;
        OpenCv.ensureLoaded();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String shot() {
        return spec.shot();
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        Rect rect = Rois.place(spec.roi(), ctx, frame.width(), frame.height());
        if (rect == null) {
            return RuleResult.error(name(), shot(), "ROI lies outside the " + frame.width() + "x" + frame.height() + " frame",
                    System.nanoTime() - t0);
        }
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble std = new MatOfDouble();
        try {
            Core.meanStdDev(view, mean, std);
            Core.MinMaxLocResult mm = Core.minMaxLoc(view);
            List<Measurement> ms = new ArrayList<>(5 + spec.percentiles().size());
            ms.add(new Measurement("mean", mean.get(0, 0)[0], "grey", spec.minMean(), spec.maxMean()));
            ms.add(new Measurement("stdDev", std.get(0, 0)[0], "grey", spec.minStdDev(), spec.maxStdDev()));
            ms.add(new Measurement("min", mm.minVal, "grey", spec.minValue(), null));
            ms.add(new Measurement("max", mm.maxVal, "grey", null, spec.maxValue()));
            if (!spec.percentiles().isEmpty()) {
                int levels = frame.pixelFormat().maxValue() + 1;
                float[] hist = histogram(view, levels);
                double n = (double) rect.width * rect.height;
                for (IntensityRuleSpec.Percentile p : spec.percentiles()) {
                    ms.add(new Measurement(percentileName(p.p()), percentile(hist, levels, n, p.p()), "grey", p.min(), p.max()));
                }
            }
            List<String> failures = new ArrayList<>();
            for (Measurement m : ms) {
                if (!m.withinLimits()) {
                    failures.add(describe(m));
                }
            }
            boolean pass = failures.isEmpty();
            ReasonCode code = pass ? ReasonCode.NONE : spec.imageQuality() ? ReasonCode.IMAGE_QUALITY : ReasonCode.RULE_FAILED;
            String label = String.format(Locale.ROOT, "%s mean=%.1f", name(), ms.getFirst().value());
            return new RuleResult(name(), shot(), pass, code, String.join("; ", failures), ms,
                    List.of(new Overlay.Box(rect.x, rect.y, rect.width, rect.height, pass, label)), System.nanoTime() - t0);
        } finally {
            mean.release();
            std.release();
            view.release();
            full.release();
        }
    }

    static String percentileName(double p) {
        return p == Math.rint(p) ? "p" + (long) p : "p" + String.valueOf(p).replace('.', '_');
    }

    private static float[] histogram(Mat view, int levels) {
        Mat hist = Scratch.get().mat(Scratch.WORK_A);
        // Ranges are exclusive at the top: one bin per grey level.
        try (var ranges = new Closeable(new MatOfFloat(0f, (float) levels)); var size = new Closeable(new MatOfInt(levels))) {
            Imgproc.calcHist(List.of(view), CHANNEL_0, NO_MASK, hist, (MatOfInt) size.mat(), (MatOfFloat) ranges.mat());
        }
        float[] out = HISTOGRAM.get();
        hist.get(0, 0, out);
        return out;
    }

    /** The smallest grey level at or below which {@code p} percent of the pixels lie. */
    private static double percentile(float[] hist, int levels, double n, double p) {
        double wanted = Math.max(1, Math.ceil(n * p / 100.0));
        double seen = 0;
        for (int v = 0; v < levels; v++) {
            seen += hist[v];
            if (seen >= wanted) {
                return v;
            }
        }
        return levels - 1;
    }

    private static String describe(Measurement m) {
        @Nullable Double limit = m.min() != null && m.value() < m.min() ? m.min() : m.max();
        String op = m.min() != null && m.value() < m.min() ? "<" : ">";
        return String.format(Locale.ROOT, "%s %.1f %s %s %.1f", m.name(), m.value(), op, op.equals("<") ? "min" : "max", limit);
    }

    /** Releases a small native Mat at the end of a try block. */
    private record Closeable(Mat mat) implements AutoCloseable {
        @Override
        public void close() {
            mat.release();
        }
    }
}
