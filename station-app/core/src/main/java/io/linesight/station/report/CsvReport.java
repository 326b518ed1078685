/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import io.linesight.station.store.ResultQueries.Alarm;
import io.linesight.station.store.ResultQueries.Count;
import io.linesight.station.store.ResultQueries.HourYield;
import io.linesight.station.store.ResultQueries.RecipeParts;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The report as one CSV table for spreadsheets: {@code section,key,parts,passed,rejected,value}, one row per number,
 * so every section fits the same columns.
 */
final class CsvReport {
    private CsvReport() {
    }

    static String render(ReportData d) {
        StringBuilder b = new StringBuilder("section,key,parts,passed,rejected,value\n");
        row(b, "range", d.from() + "/" + d.to(), d.parts(), d.passed(), d.rejected(), d.yield());
        row(b, "latency_ms", "p50", d.parts(), null, null, d.latency().p50());
        row(b, "latency_ms", "p90", d.parts(), null, null, d.latency().p90());
        row(b, "latency_ms", "p99", d.parts(), null, null, d.latency().p99());
        row(b, "latency_ms", "max", d.parts(), null, null, d.latency().max());
        row(b, "downtime_s", "alarms", null, null, null, d.downtimeMs() / 1000.0);
        for (HourYield h : d.hours()) {
            row(b, "hour", h.hour().toString(), h.parts(), h.passed(), h.rejected(), h.yield());
        }
        for (Count c : d.reasons()) {
            row(b, "reason", c.key(), null, null, c.count(), null);
        }
        for (Count c : d.classes()) {
            row(b, "class", c.key(), null, null, null, (double) c.count());
        }
        for (RecipeParts r : d.recipes()) {
            row(b, "recipe", r.recipe() + "@" + r.version(), r.parts(), r.passed(), r.rejected(),
                    r.parts() == 0 ? 0 : (double) r.passed() / r.parts());
        }
        row(b, "archive", "stored", d.archive().stored(), null, null, null);
        d.archive().dropped().forEach((k, v) -> row(b, "archive_dropped", k, v, null, null, null));
        d.archive().deleted().forEach((k, v) -> row(b, "archive_deleted", k, v, null, null, null));
        row(b, "spool", "not_in_database", d.spool().rows(), null, null, null);
        row(b, "spool", "quarantined", d.spool().quarantined(), null, null, null);
        row(b, "spool", "refused", d.spool().refused(), null, null, null);
        for (Alarm a : d.alarms()) {
            row(b, "alarm", a.code() + " " + a.source() + " " + Instant.ofEpochMilli(a.raisedMs()), null, null, null,
                    a.overlapMs(d.from(), d.to()) / 1000.0);
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String section, String key, @Nullable Long parts, @Nullable Long passed,
                            @Nullable Long rejected, @Nullable Double value) {
        b.append(section).append(',').append(quote(key)).append(',').append(parts == null ? "" : parts).append(',')
                .append(passed == null ? "" : passed).append(',').append(rejected == null ? "" : rejected).append(',')
                .append(value == null ? "" : String.format(Locale.ROOT, "%.6g", value)).append('\n');
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
