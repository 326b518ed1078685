/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

import io.linesight.config.recipe.JudgePolicy;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.inference.api.Detection;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Combines rule results and detections into a verdict under a recipe's policy: any failed rule rejects; a
 * detection rejects when its class is not tolerated, its score reaches the class's minimum and its box is at least
 * the minimum defect area, and more such detections than {@code maxDefects} were found. Every reason carries the
 * values that caused it; a pass carries the margins. Immutable and thread-safe.
 */
public final class Judge {
    private final JudgePolicy policy;
    private final ModelSpec model;

    public Judge(Recipe recipe) {
        this.policy = recipe.judge();
        this.model = recipe.model();
    }

    public Verdict decide(List<RuleResult> rules, List<ShotDetections> detections) {
        List<Reason> reasons = new ArrayList<>();
        Map<String, Double> margins = new LinkedHashMap<>();
        for (RuleResult r : rules) {
            if (!r.pass()) {
                reasons.add(new Reason(r.code(), r.rule(), r.detail()));
            }
            for (Measurement m : r.measurements()) {
                Double margin = m.margin();
                if (margin != null) {
                    margins.put(r.rule() + "." + m.name(), margin);
                }
            }
        }
        List<Reason> defects = new ArrayList<>();
        for (ShotDetections sd : detections) {
            for (Detection d : sd.detections()) {
                if (counts(d)) {
                    defects.add(new Reason(ReasonCode.DEFECT_DETECTED, d.className(), String.format(Locale.ROOT,
                            "score %.2f at %s (%.0f,%.0f %.0fx%.0f px)", d.score(), sd.shot(), d.x1(), d.y1(), d.width(), d.height())));
                }
            }
        }
        if (defects.size() > policy.maxDefects()) {
            reasons.addAll(defects);
        }
        if (reasons.isEmpty()) {
            return new Verdict.Pass(margins);
        }
        // Faults of the image outrank measurements: they explain why the measurements cannot be trusted.
        reasons.sort((a, b) -> Integer.compare(rank(a.code()), rank(b.code())));
        return new Verdict.Reject(reasons);
    }

    private boolean counts(Detection d) {
        if (policy.toleratedClasses().contains(d.className())) {
            return false;
        }
        if (d.area() < policy.minDefectAreaPx()) {
            return false;
        }
        return model == null || d.score() >= model.confidenceFor(d.className());
    }

    private static int rank(ReasonCode code) {
        return switch (code) {
            case CAMERA_FAULT, IMAGE_INCOMPLETE, LIGHT_FAULT, TIMEOUT, QUEUE_FULL, STATION_STOPPED -> 0;
            case IMAGE_QUALITY -> 1;
            case INFERENCE_ERROR, RULE_ERROR -> 2;
            case RULE_FAILED, DEFECT_DETECTED -> 3;
            case NONE -> 4;
        };
    }
}
