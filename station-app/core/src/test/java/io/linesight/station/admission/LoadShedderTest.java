/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The admission arithmetic, fed with costs: no clocks, no timing. */
class LoadShedderTest {
    static final long MS = 1_000_000L;

    static LoadShedder learned(long acquireMs, long inspectMs, int workers) {
        LoadShedder s = new LoadShedder(workers);
        for (int i = 0; i < 50; i++) {
            s.acquired(acquireMs * MS);
            inspected(s, inspectMs * MS);
        }
        return s;
    }

    /** 50 parts finished {@code spacingMs} apart while every worker was busy; returns when the last ended. */
    static long busy(LoadShedder s, long spacingMs) {
        long t = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            s.inspected(40 * MS, t += spacingMs * MS, true);
        }
        return t;
    }

    /** A part inspected while a worker was idle: no sample of the stage's pace. */
    static void inspected(LoadShedder s, long nanos) {
        s.inspected(nanos, System.nanoTime(), false);
    }

    @Test
    void beforeItHasLearnedTheCosts_itTakesEveryPart() {
        LoadShedder s = new LoadShedder(2);
        for (int i = 0; i < LoadShedder.WARM_UP_PARTS - 1; i++) {
            s.acquired(5 * MS);
            inspected(s, 400 * MS); // however slow the first parts are, they only warm it up
        }
        assertThat(s.admit(0, 1, 1000)).isNull();
        assertThat(s.beforeAcquisition(0, 1, 1000)).isNull();
        assertThat(s.beforeInspection(0, 1, 1000)).isNull();
        assertThat(s.shed()).isZero();
    }

    @Nested
    @DisplayName("at the trigger, it should")
    class AtTheTrigger {
        @Test
        void takeAPart_whoseEstimateFitsHalfItsTime_andRefuseOneJustPastIt() {
            // inspection is the slowest stage: 40 ms a part (its workers not yet seen busy); the part itself 5 + 40 ms
            LoadShedder s = learned(5, 40, 2);
            long left = 400 * MS; // half of it: 200 ms >= 3 parts ahead x 40 ms + 45 ms = 165 ms; 4 ahead: 205 ms
            assertThat(s.admit(0, left, 3)).isNull();
            String why = s.admit(0, left, 4);
            assertThat(why).contains("not taken at its trigger").contains("4 parts ahead x 40.0 ms")
                    .contains("inspection, not yet seen busy on its 2 workers").contains("45.0 ms for the part itself")
                    .contains("= 205 ms").contains("50% of the 400 ms");
            assertThat(s.shedAtTrigger()).isEqualTo(1);
            assertThat(s.shedAfterTrigger()).isZero();
            assertThat(s.shed()).isEqualTo(1);
        }

        @Test
        void paceThePartsAheadByTheSlowestStage_notBySumOfTheStages() {
            // acquisition 30 ms on its one thread is slower than inspection, whose 4 busy workers finish a part every 10 ms
            LoadShedder s = learned(30, 40, 4);
            busy(s, 10);
            // 4 ahead x 30 + 70 = 190 ms fits 200; a sum of the stages (4 x 40 + 70 = 230) would have refused it
            assertThat(s.admit(0, 400 * MS, 4)).isNull();
            assertThat(s.admit(0, 400 * MS, 5)).contains("x 30.0 ms (acquisition, the slowest stage)");
        }

        @Test
        void paceInspection_byHowOftenAPartFinishedWhileTheWorkersWereBusy() {
            LoadShedder s = learned(5, 40, 2);
            long t = busy(s, 10); // 40 ms a part, but on 2 busy workers one finished every 10 ms
            s.inspected(40 * MS, t += 1_000 * MS, false); // a pause, workers idle: not a sample of the pace
            s.inspected(40 * MS, t + 1_000 * MS, true); // nor the first end after it
            // 10 ahead x 10 ms + 45 ms = 145 ms fits 200 ms
            assertThat(s.admit(0, 400 * MS, 10)).isNull();
            assertThat(s.admit(0, 400 * MS, 16)).contains("16 parts ahead x 10.0 ms (inspection: a part finished every "
                    + "10.0 ms while its 2 workers were busy, the slowest stage)");
        }

        @Test
        void assumeNoSpeedUpFromMoreWorkers_untilTheyAreSeenBusy() {
            LoadShedder s = learned(5, 40, 2);
            assertThat(s.admit(0, 400 * MS, 4)).as("4 x 40 + 45 = 205 ms").isNotNull();
            busy(s, 20); // the two workers do share the load: a part every 20 ms
            assertThat(s.admit(0, 400 * MS, 7)).as("7 x 20 + 45 = 185 ms").isNull();
        }

        @Test
        void aPartWithLessTimeLeft_isRefusedWithTheSameQueue() {
            LoadShedder s = learned(5, 40, 2);
            assertThat(s.admit(0, 400 * MS, 2)).isNull();
            // the same queue, the part triggered 300 ms ago (announced late): only 100 ms left
            assertThat(s.admit(300 * MS, 400 * MS, 2)).contains("the 100 ms to its deadline");
        }

        @Test
        void varyingCosts_widenTheOwnEstimate_byTheirDeviation() {
            LoadShedder steady = learned(5, 40, 2);
            LoadShedder varying = new LoadShedder(2);
            for (int i = 0; i < 200; i++) {
                varying.acquired(5 * MS);
                inspected(varying, (i % 2 == 0 ? 20 : 60) * MS); // mean 40 ms, deviation ~20 ms
            }
            assertThat(steady.admit(0, 420 * MS, 4)).as("4 x 40 + 45 = 205 ms").isNull();
            assertThat(varying.admit(0, 420 * MS, 4)).as("~210 ms + ~20 ms of deviation > 210 ms").isNotNull();
        }
    }

    @Nested
    @DisplayName("the safety net should")
    class SafetyNet {
        @Test
        void letATakenPartGoOn_whileTheMeanCostsStillFitItsTime() {
            LoadShedder s = learned(5, 40, 2);
            // before acquisition: imaged while 4 parts ahead are inspected (2 rounds of 40 ms), then its own 40 ms
            assertThat(s.beforeAcquisition(0, 121 * MS, 4)).isNull();
            assertThat(s.beforeAcquisition(0, 119 * MS, 4)).contains("shed before acquisition, after it was taken");
            assertThat(s.shedBeforeAcquisition()).isEqualTo(1);
        }

        @Test
        void countTheParts_itShedsAfterTheTrigger_apartFromThoseNotTaken() {
            LoadShedder s = learned(5, 40, 2);
            s.admit(0, 100 * MS, 50);
            s.beforeAcquisition(0, 10 * MS, 0);
            s.beforeInspection(0, 10 * MS, 0);
            assertThat(s.shedAtTrigger()).isEqualTo(1);
            assertThat(s.shedAfterTrigger()).isEqualTo(2);
            assertThat(s.shedBeforeAcquisition()).isEqualTo(1);
            assertThat(s.shed()).isEqualTo(3);
        }

        @Test
        void shareTheInspectionQueue_amongTheWorkers() {
            LoadShedder two = learned(5, 20, 2);
            LoadShedder one = learned(5, 20, 1);
            // 4 parts ahead: 2 rounds of 20 ms on two workers, 4 rounds on one
            assertThat(two.beforeInspection(0, 70 * MS, 4)).isNull();
            assertThat(one.beforeInspection(0, 70 * MS, 4)).isNotNull();
        }

        @Test
        void shedAPartPastItsTime_evenWithNothingAhead() {
            LoadShedder s = learned(5, 20, 2);
            assertThat(s.beforeInspection(100 * MS, 110 * MS, 0)).isNotNull();
        }
    }

    @Test
    void anIdlePipeline_takesAPart_evenIfTheLastEstimateSaysItIsTooSlow() {
        LoadShedder s = learned(5, 400, 2); // the last parts were slow (a stall), and nothing finished since
        long later = System.nanoTime() + 2 * LoadShedder.PROBE_NANOS;
        assertThat(s.admit(later, later + 100 * MS, 0)).isNull();
        assertThat(s.admit(later + 1, later + 100 * MS, 0)).isNull();
        assertThat(s.shed()).isZero();
    }

    @Test
    void whenEveryPartIsShed_aProbeIsTaken_andNotShedLater_soTheEstimateCanLearnTheMachineIsFastAgain() {
        LoadShedder s = learned(5, 400, 2); // a stall: inspection took 400 ms
        long later = System.nanoTime() + 2 * LoadShedder.PROBE_NANOS; // no part finished since, 3 are stuck ahead
        assertThat(s.admit(later, later + 100 * MS, 3)).as("the probe").isNull();
        assertThat(s.beforeAcquisition(later, later + 100 * MS, 0)).as("a stale estimate does not shed the probe").isNull();
        assertThat(s.beforeInspection(later, later + 100 * MS, 0)).isNull();
        assertThat(s.admit(later + 1, later + 100 * MS, 3)).as("one probe per interval").isNotNull();
        for (int i = 0; i < 40; i++) {
            inspected(s, 20 * MS); // the probes show the machine is fast again
        }
        long now = System.nanoTime();
        assertThat(s.admit(now, now + 200 * MS, 1)).as("1 x ~22 ms + ~37 ms fits 100 ms").isNull();
    }
}
