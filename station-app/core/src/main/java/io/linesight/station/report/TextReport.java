/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import io.linesight.station.store.ResultQueries.Alarm;
import io.linesight.station.store.ResultQueries.Count;
import io.linesight.station.store.ResultQueries.HourYield;
import io.linesight.station.store.ResultQueries.RecipeParts;
import java.time.Instant;
import java.util.Locale;

/** The report as plain text for a terminal. */
final class TextReport {
    private TextReport() {
    }

    static String render(ReportData d) {
        StringBuilder b = new StringBuilder();
        f(b, "Linesight report %s .. %s%n%n", d.from(), d.to());
        f(b, "parts %d  passed %d  rejected %d  yield %.2f %%%n", d.parts(), d.passed(), d.rejected(), 100 * d.yield());
        f(b, "latency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", d.latency().p50(), d.latency().p90(),
                d.latency().p99(), d.latency().max());
        f(b, "downtime (alarms active) %s over %d alarm(s)%n", duration(d.downtimeMs()), d.alarms().size());
        f(b, "%nyield by hour (UTC)%n");
        for (HourYield h : d.hours()) {
            f(b, "  %s  parts %6d  rejected %5d  yield %6.2f %%%n", h.hour(), h.parts(), h.rejected(), 100 * h.yield());
        }
        f(b, "%ntop reject reasons%n");
        for (Count c : d.reasons()) {
            f(b, "  %-20s %6d  %5.1f %%%n", c.key(), c.count(), d.rejected() == 0 ? 0 : 100.0 * c.count() / d.rejected());
        }
        f(b, "%ndefect classes on rejected parts%n");
        for (Count c : d.classes()) {
            f(b, "  %-20s %6d%n", c.key(), c.count());
        }
        f(b, "%nper recipe%n");
        for (RecipeParts r : d.recipes()) {
            f(b, "  %-20s v%-3d parts %6d  rejected %5d  yield %6.2f %%%n", r.recipe(), r.version(), r.parts(),
                    r.rejected(), r.parts() == 0 ? 0 : 100.0 * (r.parts() - r.rejected()) / r.parts());
        }
        f(b, "%nimage archive (parts)%n");
        f(b, "  stored %d  not archived %d%s  deleted %d%s%n", d.archive().stored(), d.archive().droppedTotal(),
                counts(d.archive().dropped()), d.archive().deleted().values().stream().mapToLong(Long::longValue).sum(),
                counts(d.archive().deleted()));
        for (String line : d.notKept()) {
            f(b, "%s%n", line);
        }
        f(b, "%nalarms%n");
        for (Alarm a : d.alarms()) {
            f(b, "  %s  %-18s %-14s %s%s%n", Instant.ofEpochMilli(a.raisedMs()), a.code(), a.source(),
                    a.clearedMs() == null ? "active" : "cleared after " + duration(a.clearedMs() - a.raisedMs()),
                    a.detail().isEmpty() ? "" : "  (" + a.detail() + ")");
        }
        return b.toString();
    }

    /** " (disk full 1, archive queue full 2)", or "" when empty. */
    static String counts(java.util.Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            return "";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        byReason.forEach((k, v) -> parts.add(words(k) + " " + v));
        return " (" + String.join(", ", parts) + ")";
    }

    static String words(String reason) {
        try {
            return io.linesight.station.archive.ImageFate.Reason.valueOf(reason).words();
        } catch (IllegalArgumentException e) {
            return reason;
        }
    }

    static String duration(long ms) {
        long s = ms / 1000;
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }

    private static void f(StringBuilder b, String fmt, Object... args) {
        b.append(String.format(Locale.ROOT, fmt, args));
    }
}
