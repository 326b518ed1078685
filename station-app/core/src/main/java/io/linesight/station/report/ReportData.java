/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import io.linesight.station.store.ResultQueries;
import io.linesight.station.store.ResultQueries.Alarm;
import io.linesight.station.store.ResultQueries.ArchiveCounts;
import io.linesight.station.store.ResultQueries.Count;
import io.linesight.station.store.ResultQueries.HourYield;
import io.linesight.station.store.ResultQueries.Latency;
import io.linesight.station.store.ResultQueries.RecipeParts;
import io.linesight.station.store.SpoolBacklog;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Everything a shift or day report shows, read from the results store in one go: the renderers only format it.
 *
 * @param downtimeMs time inside the range with at least one alarm active (overlapping alarms count once)
 * @param archive    what the image archive stored, dropped (by why) and deleted in the range
 * @param spool      what the station's spool holds that the figures above do not include (when the report can see
 *                   the station's data folder; {@link SpoolBacklog#NONE} otherwise)
 */
public record ReportData(Instant from, Instant to, long parts, long passed, List<HourYield> hours, List<Count> reasons,
                         List<Count> classes, Latency latency, List<RecipeParts> recipes, List<Alarm> alarms,
                         long downtimeMs, ArchiveCounts archive, SpoolBacklog spool) {

    public long rejected() {
        return parts - passed;
    }

    public double yield() {
        return parts == 0 ? 0 : (double) passed / parts;
    }

    public static ReportData collect(ResultQueries q, Instant from, Instant to) throws SQLException {
        List<HourYield> hours = q.yieldByHour(from, to);
        long parts = hours.stream().mapToLong(HourYield::parts).sum();
        long passed = hours.stream().mapToLong(HourYield::passed).sum();
        List<Alarm> alarms = q.alarms(from, to);
        return new ReportData(from, to, parts, passed, hours, q.paretoByReason(from, to), q.paretoByClass(from, to),
                q.latencyPercentiles(from, to), q.partsByRecipe(from, to), alarms, downtime(alarms, from, to),
                q.archive(from, to), SpoolBacklog.NONE);
    }

    /** The same report, saying what the station's spool holds beside it. */
    public ReportData withSpool(SpoolBacklog backlog) {
        return new ReportData(from, to, parts, passed, hours, reasons, classes, latency, recipes, alarms, downtimeMs,
                archive, backlog);
    }

    /** Lines on what the figures do not include or the station could not keep; empty when there is nothing to say. */
    List<String> notKept() {
        List<String> out = new java.util.ArrayList<>();
        if (spool.rows() > 0) {
            out.add(spool.rows() + " results on the station's spool, not yet in the database (replaying, or the "
                    + "database is unavailable): not counted above");
        }
        if (spool.quarantined() > 0) {
            out.add(spool.quarantined() + " spool lines quarantined as unreadable (spool/quarantine/)");
        }
        if (spool.refused() > 0) {
            out.add(spool.refused() + " results refused by the database (spool/rejected.jsonl)");
        }
        return out;
    }

    /** Union of the alarms' intervals clipped to the range. */
    static long downtime(List<Alarm> alarms, Instant from, Instant to) {
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        List<long[]> spans = alarms.stream()
                .map(a -> new long[] {Math.max(f, a.raisedMs()), a.clearedMs() == null ? t : Math.min(t, a.clearedMs())})
                .filter(s -> s[1] > s[0]).sorted((a, b) -> Long.compare(a[0], b[0])).toList();
        long total = 0;
        long end = Long.MIN_VALUE;
        for (long[] s : spans) {
            long start = Math.max(s[0], end);
            if (s[1] > start) {
                total += s[1] - start;
            }
            end = Math.max(end, s[1]);
        }
        return total;
    }
}
