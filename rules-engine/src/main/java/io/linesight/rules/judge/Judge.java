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
import org.jspecify.annotations.Nullable;

/**
 * Combines rule results and detections into a verdict under a recipe's policy.
 *
 * <p>A detection counts when its score reaches its class's minimum confidence, it lies in no tolerated zone, its
 * class is not tolerated, and its box reaches the minimum defect area (px², and mm² on a calibrated shot). A
 * detection in a critical zone rejects whatever the other limits say. Counted detections of a class with its own
 * limit ({@code maxDefectsByClass}) are held to that limit, the others together to {@code maxDefects}.
 *
 * <p>{@code any-fail}: any failed rule or exceeded count rejects. {@code weighted}: each failed rule and each
 * counted detection adds its weight (by rule or class name, 1 by default) and the part is rejected at
 * {@code rejectScore}. In both modes faults (image quality, rule errors, camera, timeouts) always reject: they mean
 * the part was not really inspected.
 *
 * <p>Every reason carries the values that caused it; a pass carries the margins. Immutable and thread-safe.
 */
public final class Judge {
    private final JudgePolicy policy;
    private final @Nullable ModelSpec model;
    private final Map<String, Double> mmPerPixelByShot;

    public Judge(Recipe recipe) {
        this(recipe, Map.of());
    }

    /** @param mmPerPixelByShot calibration scale of each shot, for {@code minDefectAreaMm2}; shots absent stay in px */
    public Judge(Recipe recipe, Map<String, Double> mmPerPixelByShot) {
        this.policy = recipe.judge();
        this.model = recipe.model();
        this.mmPerPixelByShot = Map.copyOf(mmPerPixelByShot);
    }

    public Verdict decide(List<RuleResult> rules, List<ShotDetections> detections) {
        return decide(rules, detections, List.of());
    }

    /**
     * As {@link #decide(List, List)}, with the shots' anomaly scores: a shot whose score is above its threshold
     * rejects with {@code ANOMALY}, its score, threshold and region, in either decision mode (the anomaly model has
     * no class to weigh or tolerate).
     */
    public Verdict decide(List<RuleResult> rules, List<ShotDetections> detections, List<ShotAnomaly> anomalies) {
        boolean weighted = policy.decision() == JudgePolicy.Decision.WEIGHTED;
        List<Reason> reasons = new ArrayList<>();
        List<Reason> weighedReasons = new ArrayList<>();
        double score = 0;
        Map<String, Double> margins = new LinkedHashMap<>();
        for (RuleResult r : rules) {
            if (!r.pass()) {
                Reason reason = new Reason(r.code(), r.rule(), r.detail());
                if (weighted && r.code() == ReasonCode.RULE_FAILED) {
                    score += weight(r.rule());
                    weighedReasons.add(reason);
                } else {
                    reasons.add(reason);
                }
            }
            for (Measurement m : r.measurements()) {
                Double margin = m.margin();
                if (margin != null) {
                    margins.put(r.rule() + "." + m.name(), margin);
                }
            }
        }
        List<Reason> general = new ArrayList<>();
        Map<String, List<Reason>> byClass = new LinkedHashMap<>();
        for (ShotDetections sd : detections) {
            for (Detection d : sd.detections()) {
                if (model != null && d.score() < model.confidenceFor(d.className())) {
                    continue;
                }
                JudgePolicy.@Nullable Zone zone = zoneOf(sd.shot(), d);
                if (zone != null && zone.mode() == JudgePolicy.Zone.Mode.CRITICAL) {
                    reasons.add(new Reason(ReasonCode.DEFECT_DETECTED, d.className(), describe(sd, d) + " in critical zone " + zone.name()));
                    continue;
                }
                if (zone != null || !counts(sd.shot(), d)) {
                    continue;
                }
                Reason reason = new Reason(ReasonCode.DEFECT_DETECTED, d.className(), describe(sd, d));
                if (weighted) {
                    score += weight(d.className());
                    weighedReasons.add(reason);
                } else if (policy.maxDefectsByClass().containsKey(d.className())) {
                    byClass.computeIfAbsent(d.className(), k -> new ArrayList<>()).add(reason);
                } else {
                    general.add(reason);
                }
            }
        }
        if (general.size() > policy.maxDefects()) {
            String limit = "; " + general.size() + " defects > max " + policy.maxDefects();
            general.forEach(r -> reasons.add(withDetail(r, limit)));
        }
        byClass.forEach((cls, list) -> {
            int max = policy.maxDefectsByClass().get(cls);
            if (list.size() > max) {
                String limit = "; " + list.size() + " " + cls + " > max " + max;
                list.forEach(r -> reasons.add(withDetail(r, limit)));
            }
        });
        if (weighted) {
            if (score >= policy.rejectScore()) {
                String total = String.format(Locale.ROOT, "; weighted score %.2f >= %.2f", score, policy.rejectScore());
                weighedReasons.forEach(r -> reasons.add(withDetail(r, total)));
            } else {
                margins.put("judge.weightedScore", (policy.rejectScore() - score) / policy.rejectScore());
            }
        }
        for (ShotAnomaly a : anomalies) {
            if (a.anomalous()) {
                reasons.add(new Reason(ReasonCode.ANOMALY, a.shot(), describe(a)));
            } else if (a.threshold() > 0) {
                margins.put("anomaly." + a.shot(), (a.threshold() - a.score()) / a.threshold());
            }
        }
        if (reasons.isEmpty()) {
            return new Verdict.Pass(margins);
        }
        // Faults of the image outrank measurements: they explain why the measurements cannot be trusted.
        reasons.sort((a, b) -> Integer.compare(rank(a.code()), rank(b.code())));
        return new Verdict.Reject(reasons);
    }

    private double weight(String ruleOrClass) {
        return policy.weights().getOrDefault(ruleOrClass, 1.0);
    }

    private JudgePolicy.@Nullable Zone zoneOf(String shot, Detection d) {
        double cx = (d.x1() + d.x2()) / 2.0;
        double cy = (d.y1() + d.y2()) / 2.0;
        for (JudgePolicy.Zone z : policy.zones()) {
            if (z.appliesTo(shot, d.className()) && z.contains(cx, cy)) {
                return z;
            }
        }
        return null;
    }

    private boolean counts(String shot, Detection d) {
        if (policy.toleratedClasses().contains(d.className())) {
            return false;
        }
        if (d.area() < policy.minDefectAreaPx()) {
            return false;
        }
        Double mmPerPx = mmPerPixelByShot.get(shot);
        return policy.minDefectAreaMm2() <= 0 || mmPerPx == null || d.area() * mmPerPx * mmPerPx >= policy.minDefectAreaMm2();
    }

    private String describe(ShotDetections sd, Detection d) {
        Double mmPerPx = mmPerPixelByShot.get(sd.shot());
        String mm = mmPerPx == null ? "" : String.format(Locale.ROOT, ", %.2f mm²", d.area() * mmPerPx * mmPerPx);
        return String.format(Locale.ROOT, "score %.2f at %s (%.0f,%.0f %.0fx%.0f px%s)", d.score(), sd.shot(), d.x1(), d.y1(),
                d.width(), d.height(), mm);
    }

    private static String describe(ShotAnomaly a) {
        ShotAnomaly.Box r = a.region();
        return String.format(Locale.ROOT, "score %.3f > %.3f at %s (%d,%d %dx%d px)", a.score(), a.threshold(), a.shot(),
                r.x(), r.y(), r.width(), r.height());
    }

    private static Reason withDetail(Reason r, String more) {
        return new Reason(r.code(), r.source(), r.detail() + more);
    }

    private static int rank(ReasonCode code) {
        return switch (code) {
            case CAMERA_FAULT, IMAGE_INCOMPLETE, IMAGE_MISSING, LIGHT_FAULT, TIMEOUT, QUEUE_FULL, OVERLOAD,
                 STATION_STOPPED, STATION_ERROR -> 0;
            case IMAGE_QUALITY -> 1;
            case INFERENCE_ERROR, RULE_ERROR -> 2;
            case RULE_FAILED, DEFECT_DETECTED, ANOMALY -> 3;
            case NONE -> 4;
        };
    }
}
