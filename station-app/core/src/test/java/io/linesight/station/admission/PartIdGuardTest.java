/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartIdGuardTest {
    static final long S = 1_000_000_000L;

    @Test
    void aRepeatedIdWithinTheWindow_isRefusedAndCounted() {
        PartIdGuard g = new PartIdGuard(10 * S, 1000);
        assertThat(g.firstTime("P1", 0)).isTrue();
        assertThat(g.firstTime("P2", 1)).isTrue();
        assertThat(g.firstTime("P1", 5 * S)).isFalse();
        assertThat(g.refused()).isEqualTo(1);
    }

    @Test
    void anIdMayComeBackAfterTheWindow_likeAWrappingPlcCounter() {
        PartIdGuard g = new PartIdGuard(10 * S, 1000);
        assertThat(g.firstTime("P1", 0)).isTrue();
        assertThat(g.firstTime("P1", 11 * S)).isTrue();
    }

    @Test
    void memoryIsBounded_theOldestIdsAreForgottenFirst() {
        PartIdGuard g = new PartIdGuard(1000 * S, 3);
        for (int i = 0; i < 4; i++) {
            assertThat(g.firstTime("P" + i, i)).isTrue();
        }
        assertThat(g.firstTime("P0", 10)).as("forgotten: the bound was reached").isTrue();
        assertThat(g.firstTime("P3", 11)).isFalse();
    }
}
