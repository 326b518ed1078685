/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectWatchdogTest {
    static final long S = 1_000_000_000L;

    @Test
    void aConnectedClient_isNeverKicked() {
        ReconnectWatchdog w = new ReconnectWatchdog(Duration.ofSeconds(25));
        for (long t = 0; t < 100 * S; t += S / 10) {
            assertThat(w.due(true, t)).isFalse();
        }
    }

    @Test
    void aClientDownForThePatience_isKicked_thenGivenTheWholePatienceAgain() {
        ReconnectWatchdog w = new ReconnectWatchdog(ReconnectWatchdog.DEFAULT_PATIENCE); // 25 s, as docs/PLC.md says
        long t0 = 1_000 * S; // nanoTime has no fixed origin
        assertThat(w.due(false, t0)).isFalse();
        assertThat(w.due(false, t0 + 24 * S)).as("a reconnect cycle still has time").isFalse();
        assertThat(w.due(false, t0 + 25 * S)).isTrue();
        assertThat(w.due(false, t0 + 26 * S)).as("the kick's own attempt gets the patience").isFalse();
        assertThat(w.due(false, t0 + 49 * S)).isFalse();
        assertThat(w.due(false, t0 + 50 * S)).isTrue();
    }

    @Test
    void aClientThatCameBackInBetween_startsItsPatienceAfresh() {
        ReconnectWatchdog w = new ReconnectWatchdog(Duration.ofSeconds(25));
        assertThat(w.due(false, 0)).isFalse();
        assertThat(w.due(true, 20 * S)).isFalse();
        assertThat(w.due(false, 21 * S)).isFalse();
        assertThat(w.due(false, 30 * S)).as("down again only 9 s").isFalse();
        assertThat(w.due(false, 46 * S)).isTrue();
    }

    @Test
    void aPatienceOfZero_isRefused() {
        assertThatThrownBy(() -> new ReconnectWatchdog(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconnect patience must be positive");
    }
}
