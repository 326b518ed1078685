/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AlarmWatchTest {
    private static final long S = 1_000_000_000L;

    @Test
    void healthyStation_hasNoAlarms() {
        assertThat(new AlarmWatch().check(true, Map.of("camera top", "ok", "light ring", "ok"), 0, 0)).isEmpty();
    }

    @Test
    void brokerDownAndDeviceFaults_areNamed() {
        assertThat(new AlarmWatch().check(false, Map.of("camera top", "FAULT: lost", "light ring", "ok"), 0, 0))
                .containsExactly("BROKER DOWN — the PLC is not getting verdicts", "CAMERA TOP: FAULT: lost");
    }

    @Test
    void risingTimeouts_alarmForTenSeconds_thenOldTimeoutsAreHistory() {
        AlarmWatch w = new AlarmWatch();
        assertThat(w.check(true, Map.of(), 5, 0)).as("timeouts from before the HMI opened").isEmpty();
        assertThat(w.check(true, Map.of(), 7, S)).containsExactly("TIMEOUTS RISING: +2 in the last 10 s");
        assertThat(w.check(true, Map.of(), 8, 2 * S)).containsExactly("TIMEOUTS RISING: +3 in the last 10 s");
        assertThat(w.check(true, Map.of(), 8, 13 * S)).isEmpty();
    }
}
