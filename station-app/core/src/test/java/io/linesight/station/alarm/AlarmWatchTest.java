/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.station.archive.ArchiveTesting;
import io.linesight.station.archive.ImageArchive;
import io.linesight.station.store.StoreWriter;
import java.util.List;
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

    @Test
    void journalFilling_alarmsFromHalfFull_nextAfterBrokerDown() {
        AlarmWatch.StationSigns half = new AlarmWatch.StationSigns(5_000, 10_000, "", "", false, 0, null);
        assertThat(new AlarmWatch().conditions(false, Map.of(), 0, 0, half)).extracting(AlarmWatch.Condition::text)
                .containsExactly("BROKER DOWN — the PLC is not getting verdicts",
                        "VERDICT JOURNAL FILLING: 5000 of 10000 verdicts not acknowledged (50 %); the line stops when it is full");
        AlarmWatch.StationSigns few = new AlarmWatch.StationSigns(4_999, 10_000, "", "", false, 0, null);
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, few)).isEmpty();
    }

    @Test
    void modelOnCpuAlthoughTheRecipeAsksForCuda_isAnAlarm_cpuRecipeOnCpuIsNot() {
        AlarmWatch.StationSigns fallback = new AlarmWatch.StationSigns(0, 100, "cuda", "CPU", false, 0, null);
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, fallback)).extracting(AlarmWatch.Condition::text)
                .containsExactly("MODEL ON CPU: the recipe asks for cuda, the model runs on CPU (slower: watch the deadline)");
        AlarmWatch.StationSigns onCuda = new AlarmWatch.StationSigns(0, 100, "cuda", "CUDA", false, 0, null);
        AlarmWatch.StationSigns cpu = new AlarmWatch.StationSigns(0, 100, "cpu", "CPU", false, 0, null);
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, onCuda)).isEmpty();
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, cpu)).isEmpty();
    }

    @Test
    void anomalyModelOnCpuAlthoughTheRecipeAsksForCuda_isAnAlarmOfItsOwn() {
        AlarmWatch.StationSigns signs = new AlarmWatch.StationSigns(0, 100, "cpu", "CPU", false, 0, null,
                StoreWriter.Status.NONE, new ImageArchive.Counts(0, 0, 0, 0, 0, 0, 0, 0),
                List.of("anomaly model top.anomaly of shot top: the recipe asks for cuda, it runs on CPU"));
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, signs)).singleElement().satisfies(c -> {
            assertThat(c.source()).isEqualTo("anomaly-model");
            assertThat(c.text()).isEqualTo("MODEL ON CPU: anomaly model top.anomaly of shot top: the recipe asks for "
                    + "cuda, it runs on CPU (slower: watch the deadline)");
        });
    }

    @Test
    void oneWorkerSessionOnCpuBesideOneOnCuda_isAnAlarmToo() {
        // ActiveRecipe names every provider its workers' sessions run on
        AlarmWatch.StationSigns mixed = new AlarmWatch.StationSigns(0, 100, "cuda", "CUDA, CPU", false, 0, null);
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, mixed)).extracting(AlarmWatch.Condition::code)
                .containsExactly(AlarmWatch.CPU_FALLBACK);
    }

    @Test
    void databaseDownAndArchivePaused_areNamed() {
        AlarmWatch.StationSigns signs = new AlarmWatch.StationSigns(0, 100, "", "", true, 42, "disk full: no space left");
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, signs)).extracting(AlarmWatch.Condition::text)
                .containsExactly("RESULTS DATABASE: unreachable; 42 results kept in the spool",
                        "IMAGE ARCHIVE PAUSED: disk full: no space left");
    }

    @Test
    void imagesNotArchived_alarmForAMinuteAfterTheLastDrop_withTheReasons() {
        AlarmWatch w = new AlarmWatch();
        assertThat(w.conditions(true, Map.of(), 0, 0, signs(0, 0, StoreWriter.Status.NONE))).isEmpty();
        assertThat(w.conditions(true, Map.of(), 0, S, signs(2, 1, StoreWriter.Status.NONE)))
                .extracting(AlarmWatch.Condition::text)
                .containsExactly("IMAGES NOT ARCHIVED: 3 parts since start (archive queue full 2, disk full 1); the last within a minute");
        assertThat(w.conditions(true, Map.of(), 0, 59 * S, signs(2, 1, StoreWriter.Status.NONE))).hasSize(1);
        assertThat(w.conditions(true, Map.of(), 0, 62 * S, signs(2, 1, StoreWriter.Status.NONE)))
                .as("history now: the count stays on Diagnostics and in the report").isEmpty();
    }

    @Test
    void resultsTheStationCouldNotKeep_areAnAlarmUntilRestart_andTheDatabaseSaysWhyItIsDown() {
        StoreWriter.Status s = new StoreWriter.Status(true, true, "[SQLITE_FULL] database or disk is full", 7, 0, 0, 1,
                2, 0, 0, 0);
        assertThat(new AlarmWatch().conditions(true, Map.of(), 0, 0, new AlarmWatch.StationSigns(0, 100, "", "", true, 7,
                null, s, ArchiveTesting.noCounts()))).extracting(AlarmWatch.Condition::text).containsExactly(
                "RESULTS DATABASE: unavailable ([SQLITE_FULL] database or disk is full); 7 results kept in the spool",
                "RESULTS NOT IN THE DATABASE: since start 0 lost, 2 quarantined (spool/quarantine), 1 refused (spool/rejected.jsonl)");
    }

    private static AlarmWatch.StationSigns signs(long queueFull, long diskFull, StoreWriter.Status store) {
        return new AlarmWatch.StationSigns(0, 100, "", "", false, 0, null, store,
                new ImageArchive.Counts(5, queueFull, diskFull, 0, 0, 0, 0, 1 << 20));
    }
}
