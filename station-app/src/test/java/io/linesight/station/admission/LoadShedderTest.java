/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadShedderTest {
    static final long MS = 1_000_000L;

    static LoadShedder learned(long acquireMs, long inspectMs, int workers) {
        LoadShedder s = new LoadShedder(workers);
        for (int i = 0; i < 50; i++) {
            s.acquired(acquireMs * MS);
            s.inspected(inspectMs * MS);
        }
        return s;
    }

    @Test
    void beforeItHasSeenParts_itAdmitsEverything() {
        LoadShedder s = new LoadShedder(2);
        assertThat(s.beforeAcquisition(0, 1, 1000, 1000)).isNull();
        assertThat(s.beforeInspection(0, 1, 1000)).isNull();
        assertThat(s.shed()).isZero();
    }

    @Test
    void aPartThatCanStillMakeIt_isAdmitted_oneThatCannot_isShedWithTheReason() {
        LoadShedder s = learned(5, 20, 2);
        assertThat(s.beforeAcquisition(0, 100 * MS, 2, 0)).as("3 x 5 ms + 20 ms").isNull();
        String why = s.beforeAcquisition(0, 100 * MS, 20, 0);
        assertThat(why).contains("with 20 parts ahead").contains("after its deadline").contains("~5.0 ms to image");
        assertThat(s.shed()).isEqualTo(1);
    }

    @Test
    void inspectionWorkersShareTheQueue() {
        LoadShedder two = learned(5, 20, 2);
        LoadShedder one = learned(5, 20, 1);
        // 4 parts ahead: 2 rounds of 20 ms on two workers, 4 rounds on one
        assertThat(two.beforeInspection(0, 70 * MS, 4)).isNull();
        assertThat(one.beforeInspection(0, 70 * MS, 4)).isNotNull();
    }

    @Test
    void whenEveryPartIsShed_aProbeGoesThrough_soTheEstimateCanLearnTheMachineIsFastAgain() {
        LoadShedder s = learned(5, 400, 2);
        long later = System.nanoTime() + 2 * LoadShedder.PROBE_NANOS;
        assertThat(s.beforeInspection(later, later + 100 * MS, 0)).as("the probe").isNull();
        assertThat(s.beforeInspection(later + 1, later + 100 * MS, 0)).as("one probe per interval").isNotNull();
        for (int i = 0; i < 40; i++) {
            s.inspected(20 * MS); // the probes show the machine is fast again
        }
        assertThat(s.beforeInspection(System.nanoTime(), System.nanoTime() + 100 * MS, 0)).isNull();
    }

    @Test
    void aPartPastItsTime_isShedEvenWithNothingAhead() {
        LoadShedder s = learned(5, 20, 2);
        assertThat(s.beforeInspection(100 * MS, 110 * MS, 0)).isNotNull();
    }
}
