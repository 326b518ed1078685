/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.camera.api.Frame;
import io.linesight.rules.template.Located;
import io.linesight.rules.template.TemplateRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a recipe's rules in the right order: on each shot the fixture rule first (a template rule with
 * {@code fixture: true}), then every other rule of that shot with the placement it found. When the fixture does not
 * find the part, the shot's other rules are not measured and report {@code RULE_ERROR} naming the fixture (never a
 * pass). A shot without a frame makes its rules report {@code RULE_ERROR} too.
 *
 * <p>Runs on the calling thread; a station that spreads rules over workers calls {@link #locate} per shot first and
 * hands the returned context to each rule. Stateless and thread-safe.
 */
public final class FixtureRunner {
    private FixtureRunner() {
    }

    /** The fixture outcome of one shot: the fixture rule's result (if any) and the context for the other rules. */
    public record ShotPlacement(@Nullable RuleResult fixtureResult, @Nullable String fixtureName, @Nullable RuleContext context) {
    }

    /** Runs the shot's fixture rule, if it has one; without one the context is {@code base}. */
    public static ShotPlacement locate(List<Rule> rules, String shot, Frame frame, RuleContext base) {
        for (Rule r : rules) {
            if (r instanceof TemplateRule t && t.isFixture() && r.shot().equals(shot)) {
                Located found = guarded(t, frame, base);
                return new ShotPlacement(found.result(), t.name(), found.context());
            }
        }
        return new ShotPlacement(null, null, base);
    }

    /**
     * Every rule's result, in the rules' order.
     *
     * @param frames the frame of each shot (null when the shot has none); frames stay owned by the caller
     * @param base   per-shot base context (calibration scale), e.g. {@code shot -> RuleContext.NONE}
     */
    public static List<RuleResult> evaluate(List<Rule> rules, Function<String, @Nullable Frame> frames,
                                            Function<String, RuleContext> base) {
        Map<String, ShotPlacement> placements = new LinkedHashMap<>();
        for (Rule r : rules) {
            if (placements.containsKey(r.shot())) {
                continue;
            }
            Frame f = frames.apply(r.shot());
            if (f == null) {
                continue;
            }
            ShotPlacement p = locate(rules, r.shot(), f, base.apply(r.shot()));
            placements.put(r.shot(), p);
        }
        List<RuleResult> out = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            Frame f = frames.apply(r.shot());
            ShotPlacement p = placements.get(r.shot());
            if (f == null || p == null) {
                out.add(RuleResult.error(r.name(), r.shot(), "no frame for shot " + r.shot(), 0));
            } else if (p.fixtureResult() != null && r.name().equals(p.fixtureName())) {
                out.add(p.fixtureResult());
            } else if (p.context() == null) {
                out.add(RuleResult.error(r.name(), r.shot(), "not measured: fixture " + p.fixtureName()
                        + " did not find the part", 0));
            } else {
                out.add(guarded(r, f, p.context()));
            }
        }
        return out;
    }

    /** A rule's result, with an exception turned into RULE_ERROR as the Rule contract says. */
    public static RuleResult evaluate(Rule rule, Frame frame, RuleContext ctx) {
        return guarded(rule, frame, ctx);
    }

    private static RuleResult guarded(Rule rule, Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        try {
            return rule.evaluate(frame, ctx);
        } catch (RuntimeException e) {
            return RuleResult.error(rule.name(), rule.shot(), "failed: " + e, System.nanoTime() - t0);
        }
    }

    private static Located guarded(TemplateRule rule, Frame frame, RuleContext base) {
        long t0 = System.nanoTime();
        try {
            return rule.locate(frame, base);
        } catch (RuntimeException e) {
            return new Located(RuleResult.error(rule.name(), rule.shot(), "failed: " + e, System.nanoTime() - t0), null);
        }
    }
}
