/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.result;

import io.linesight.camera.api.TruthBox;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one part's inspection: the verdict sent to the PLC and what led to it. Immutable; handed to
 * the store, the archive and viewers.
 *
 * @param seq          the verdict's sequence number on the PLC link (0 until the link assigned it)
 * @param recipe       recipe label {@code name@version}
 * @param model        model file name and short hash, or empty
 * @param verdict      the verdict the PLC got
 * @param rules        rule results (empty when the part timed out or was not imaged)
 * @param detections   detections per shot
 * @param truth        known defects of the part's images (synthetic camera, labelled replay), empty for real cameras
 * @param decidedAt    wall clock when decided
 * @param timings      stage timings
 * @param lateVerdict  for a part the watchdog rejected with TIMEOUT: what the inspection decided afterwards; else null
 * @param imagedPart   the part the judged images really show, when the camera knows (simulators); else null. Differs
 *                     from {@code part().partId()} only if frames were paired with the wrong part
 * @param anomalies    the anomaly models' scores, regions and maps per shot (empty without anomaly models)
 */
public record Inspection(Part part, long seq, String recipe, String model, Verdict verdict, List<RuleResult> rules,
                         List<ShotDetections> detections, List<TruthBox> truth, Instant decidedAt, Timings timings,
                         @Nullable Verdict lateVerdict, @Nullable String imagedPart, List<ShotAnomaly> anomalies) {

    public Inspection {
        anomalies = List.copyOf(anomalies);
        rules = List.copyOf(rules);
        detections = List.copyOf(detections);
        truth = List.copyOf(truth);
    }

    /** An inspection without anomaly models. */
    public Inspection(Part part, long seq, String recipe, String model, Verdict verdict, List<RuleResult> rules,
                      List<ShotDetections> detections, List<TruthBox> truth, Instant decidedAt, Timings timings,
                      @Nullable Verdict lateVerdict, @Nullable String imagedPart) {
        this(part, seq, recipe, model, verdict, rules, detections, truth, decidedAt, timings, lateVerdict, imagedPart,
                List.of());
    }

    /** An inspection whose images' true part is not known (real cameras, parts not imaged). */
    public Inspection(Part part, long seq, String recipe, String model, Verdict verdict, List<RuleResult> rules,
                      List<ShotDetections> detections, List<TruthBox> truth, Instant decidedAt, Timings timings,
                      @Nullable Verdict lateVerdict) {
        this(part, seq, recipe, model, verdict, rules, detections, truth, decidedAt, timings, lateVerdict, null);
    }

    public Inspection withSeq(long newSeq) {
        return new Inspection(part, newSeq, recipe, model, verdict, rules, detections, truth, decidedAt, timings, lateVerdict,
                imagedPart, anomalies);
    }

    /** Whether the part really had a defect, when that is known (synthetic and labelled images). */
    public boolean truthDefective() {
        return !truth.isEmpty();
    }

    public double latencyMs() {
        return timings.totalMs();
    }
}
