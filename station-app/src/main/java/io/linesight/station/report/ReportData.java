/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import io.linesight.station.store.ResultQueries;
import io.linesight.station.store.ResultQueries.Alarm;
import io.linesight.station.store.ResultQueries.Count;
import io.linesight.station.store.ResultQueries.HourYield;
import io.linesight.station.store.ResultQueries.Latency;
import io.linesight.station.store.ResultQueries.RecipeParts;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Everything a shift or day report shows, read from the results store in one go: the renderers only format it.
 *
 * @param downtimeMs time inside the range with at least one alarm active (overlapping alarms count once)
 */
public record ReportData(Instant from, Instant to, long parts, long passed, List<HourYield> hours, List<Count> reasons,
                         List<Count> classes, Latency latency, List<RecipeParts> recipes, List<Alarm> alarms,
                         long downtimeMs) {

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
                q.latencyPercentiles(from, to), q.partsByRecipe(from, to), alarms, downtime(alarms, from, to));
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
