/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.intensity;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
import io.linesight.rules.Measurement;
import io.linesight.rules.Rule;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;

/** Mean, standard deviation, minimum and maximum grey level in an ROI, each checked against optional limits. */
public final class IntensityRule implements Rule {
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
        Roi roi = spec.roi();
        Rect rect = OpenCv.clip((int) Math.round(roi.x() + ctx.dx()), (int) Math.round(roi.y() + ctx.dy()),
                roi.width(), roi.height(), frame.width(), frame.height());
        if (rect == null) {
            return RuleResult.error(name(), shot(), "ROI lies outside the frame", System.nanoTime() - t0);
        }
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble std = new MatOfDouble();
        try {
            Core.meanStdDev(view, mean, std);
            Core.MinMaxLocResult mm = Core.minMaxLoc(view);
            List<Measurement> ms = List.of(
                    new Measurement("mean", mean.get(0, 0)[0], "grey", spec.minMean(), spec.maxMean()),
                    new Measurement("stdDev", std.get(0, 0)[0], "grey", null, spec.maxStdDev()),
                    new Measurement("min", mm.minVal, "grey", spec.minValue(), null),
                    new Measurement("max", mm.maxVal, "grey", null, spec.maxValue()));
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

    private static String describe(Measurement m) {
        @Nullable Double limit = m.min() != null && m.value() < m.min() ? m.min() : m.max();
        String op = m.min() != null && m.value() < m.min() ? "<" : ">";
        return String.format(Locale.ROOT, "%s %.1f %s %s %.1f", m.name(), m.value(), op, op.equals("<") ? "min" : "max", limit);
    }
}
