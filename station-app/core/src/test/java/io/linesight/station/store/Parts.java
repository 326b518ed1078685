/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.inference.api.Detection;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Inspections with chosen times, results and latencies, for store and report tests. */
final class Parts {
    private Parts() {
    }

    static Inspection pass(String partId, long seq, Instant at, double latencyMs, String recipe) {
        return inspection(partId, seq, at, latencyMs, recipe, new Verdict.Pass(Map.of()), List.of());
    }

    /** A reject with {@code code}, and one detection per class name given (on shot "top"). */
    static Inspection reject(String partId, long seq, Instant at, double latencyMs, String recipe, ReasonCode code,
                             String... classes) {
        List<Detection> ds = new ArrayList<>();
        for (String c : classes) {
            ds.add(new Detection(10, 10, 20, 20, 0, c, 0.9f));
        }
        return inspection(partId, seq, at, latencyMs, recipe,
                new Verdict.Reject(List.of(new Reason(code, "test", "made by the test"))),
                ds.isEmpty() ? List.of() : List.of(new ShotDetections("top", ds)));
    }

    private static Inspection inspection(String partId, long seq, Instant at, double latencyMs, String recipe, Verdict v,
                                         List<ShotDetections> detections) {
        long nanos = (long) (latencyMs * 1e6);
        Part part = new Part(partId, 0, at, 500_000_000L);
        return new Inspection(part, seq, recipe, "model.onnx#abc123", v, List.of(), detections, List.of(),
                at.plusNanos(nanos), new Timings(nanos / 2, 0, nanos / 4, nanos / 4, nanos), null);
    }

    static StoreWriter.Entry entry(Inspection i) {
        return new StoreWriter.Entry(i, false, null);
    }
}
