/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.rule.RuleSpec;
import io.linesight.rules.cv.Rois;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Rect;

/**
 * What every rule built from a recipe {@link RuleSpec} has in common: its name and shot (the spec's), its ROI placed
 * on the part through the fixture, the results it returns (timed from the start of the evaluation, the reason code
 * {@code NONE} on a pass and {@code RULE_FAILED} unless the rule says otherwise, the failures joined into the one-line
 * detail), the errors it reports instead of a verdict ({@code RULE_ERROR}), and closing once.
 *
 * <p>A subclass implements {@link #evaluate}; it starts with {@code long t0 = System.nanoTime()} and hands {@code t0}
 * to the result helpers. A subclass that holds native memory frees it in {@link #release()}, and checks
 * {@link #isClosed()} first in {@code evaluate} (answering {@link #closedError}).
 *
 * <p><b>Threads.</b> As for every {@link Rule}: one instance is called by several inspection workers at once, so the
 * helpers keep no state; the spec is an immutable record. {@link #close()} may come from any thread, once no worker
 * evaluates the rule any more.
 *
 * @param <S> the rule's spec type
 */
public abstract class AbstractRule<S extends RuleSpec> implements Rule {
    /** The rule's configuration, immutable. */
    protected final S spec;
    private volatile boolean closed;

    protected AbstractRule(S spec) {
        this.spec = spec;
    }

    @Override
    public final String name() {
        return spec.name();
    }

    @Override
    public final String shot() {
        return spec.shot();
    }

    /** The recipe spec this rule was built from. */
    public final S spec() {
        return spec;
    }

    /**
     * Frees what the rule holds ({@link #release()}) the first time; later calls do nothing. Afterwards
     * {@link #isClosed()} is true.
     */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** Frees the rule's native memory; called once, by the first {@link #close()}. Nothing by default. */
    protected void release() {
    }

    /** Whether {@link #close()} was called: an evaluation must not touch released memory then. */
    protected final boolean isClosed() {
        return closed;
    }

    /**
     * The spec's ROI on this part (following the fixture); null unless all of it lies inside the frame. A rule that
     * measured only the part inside would judge a surface the camera never saw: a defect beyond the edge would pass.
     */
    protected final @Nullable Rect placeRoi(Frame frame, RuleContext ctx) {
        Rect r = Rois.move(spec.roi(), ctx);
        return Rois.inside(r, frame.width(), frame.height()) ? r : null;
    }

    /** A {@code RULE_ERROR} result: the rule could not judge the part (which then never passes). */
    protected final RuleResult error(String detail, long t0) {
        return RuleResult.error(name(), shot(), detail, System.nanoTime() - t0);
    }

    /** The error for an ROI that lies outside the frame, wholly or in part. */
    protected final RuleResult roiOutside(Frame frame, long t0) {
        return error("ROI lies outside the " + frame.width() + "x" + frame.height() + " frame", t0);
    }

    /** The error for an evaluation after {@link #close()}. */
    protected final RuleResult closedError(long t0) {
        return error("rule closed: its recipe was replaced", t0);
    }

    /** A {@code RULE_FAILED} result with one reason. */
    protected final RuleResult failed(String detail, List<Measurement> measurements, List<Overlay> overlays,
            long t0) {
        return new RuleResult(name(), shot(), false, ReasonCode.RULE_FAILED, detail, measurements, overlays,
                System.nanoTime() - t0);
    }

    /** The part passes when {@code failures} is empty; otherwise {@code RULE_FAILED} with the failures as detail. */
    protected final RuleResult judged(List<String> failures, List<Measurement> measurements, List<Overlay> overlays,
            long t0) {
        return judged(failures, ReasonCode.RULE_FAILED, measurements, overlays, t0);
    }

    /** As {@link #judged(List, List, List, long)}, failing with {@code failCode}. */
    protected final RuleResult judged(List<String> failures, ReasonCode failCode, List<Measurement> measurements,
            List<Overlay> overlays, long t0) {
        boolean pass = failures.isEmpty();
        return new RuleResult(name(), shot(), pass, pass ? ReasonCode.NONE : failCode, String.join("; ", failures),
                measurements, overlays, System.nanoTime() - t0);
    }

    /**
     * One line per measurement outside its limits, e.g. {@code width 4.812 > max 4.800 mm} (three decimals: the
     * dimensional rules' precision).
     */
    protected static List<String> outOfLimits(List<Measurement> measurements, String unit) {
        List<String> failures = new ArrayList<>();
        for (Measurement m : measurements) {
            if (!m.withinLimits()) {
                boolean low = m.min() != null && m.value() < m.min();
                failures.add(String.format(Locale.ROOT, "%s %.3f %s %s %.3f %s", m.name(), m.value(), low ? "<" : ">",
                        low ? "min" : "max", low ? m.min() : m.max(), unit));
            }
        }
        return failures;
    }
}
