/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.judge.Verdict;
import io.linesight.station.part.Part;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StationStatsTest {

    private static Inspection passedAfter(Duration latency) {
        long nanos = latency.toNanos();
        return new Inspection(new Part("P-1", 1, Instant.now(), 2), 1, "r@1", "", new Verdict.Pass(Map.of()), List.of(),
                List.of(), List.of(), Instant.now(), new Timings(0, 0, 0, 0, nanos), null);
    }

    @Test
    void aPartDecidedMoreThanAnHourAfterItsFiringTime_isCounted_atTheLongestLatencyHeld() {
        // a PLC clock two hours behind the station's puts the firing time two hours back
        StationStats stats = new StationStats();
        stats.record(passedAfter(Duration.ofHours(2)));
        stats.record(passedAfter(Duration.ofMillis(12)));

        StationStats.Snapshot s = stats.snapshot();
        assertThat(s.parts()).isEqualTo(2);
        assertThat(s.passed()).isEqualTo(2);
        assertThat(s.maxMs()).isCloseTo(3_600_000, org.assertj.core.data.Percentage.withPercentage(0.2));
    }
}
