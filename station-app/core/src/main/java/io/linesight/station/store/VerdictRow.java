/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.station.result.ResultJson;
import io.linesight.station.result.Inspection;
import org.jspecify.annotations.Nullable;

/**
 * One write to the {@code verdicts} table, column by column, in the form it takes on the spool (one JSON line) and in
 * the database. A row with {@code late} set is not inserted: it sets {@code late_result} on the REJECT(TIMEOUT) row of
 * the same part. {@code archivePath} is the folder the archive was asked to keep the part's images in, not proof that
 * they are there: what became of them is an {@link ImageRecord}.
 */
public record VerdictRow(boolean late, String line, String station, String partId, long seq, String recipe,
                         int recipeVersion, String model, String result, String primaryReason, String reasons,
                         String triggeredAt, long triggeredMs, String decidedAt, String deadlineAt, double latencyMs,
                         double acquireMs, double rulesMs, double modelMs, String measurements, String detections,
                         @Nullable String lateResult, @Nullable String archivePath, String truth,
                         @Nullable String document)
        implements SpoolRecord {

    /** The row for a queued write of this station. */
    public static VerdictRow of(StoreWriter.Entry e, String line, String station) {
        Inspection i = e.inspection();
        // a label whose suffix is not a version is kept whole rather than lose the row
        ResultJson.RecipeLabel label = ResultJson.RecipeLabel.of(i.recipe());
        int version = label.version() == null ? 0 : label.version();
        return new VerdictRow(e.late(), line, station, i.part().partId(), i.seq(), label.name(), version, i.model(),
                i.verdict().passed() ? "PASS" : "REJECT", i.verdict().primaryCode().name(),
                ResultJson.reasons(i.verdict().reasons()), i.part().triggeredAt().toString(),
                i.part().triggeredAt().toEpochMilli(), i.decidedAt().toString(), i.part().deadlineAt().toString(),
                i.timings().totalNanos() / 1e6, i.timings().acquireNanos() / 1e6, i.timings().rulesNanos() / 1e6,
                i.timings().modelNanos() / 1e6, ResultJson.measurements(i.rules()), ResultJson.detections(i.detections()),
                e.late() ? ResultJson.verdict(i.lateVerdict()) : null, e.archivePath(), ResultJson.truth(i.truth()),
                ResultJson.summary(i).toString());
    }

    public boolean passed() {
        return "PASS".equals(result);
    }
}
