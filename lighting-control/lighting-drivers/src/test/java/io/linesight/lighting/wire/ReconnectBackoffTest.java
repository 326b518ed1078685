/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Pure timing logic, driven with explicit instants (no sleeping, no clock). */
class ReconnectBackoffTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final ReconnectBackoff backoff = new ReconnectBackoff(100, 800);

    @Test
    void firstAttempt_isAllowedAtOnce() {
        assertThat(backoff.mayAttempt(0)).isTrue();
    }

    @Test
    void failures_doubleTheWait_upToTheMaximum() {
        long now = 1_000 * MS;
        long[] expectedWaits = {100, 200, 400, 800, 800};
        for (long wait : expectedWaits) {
            backoff.failed(now);
            assertThat(backoff.currentWaitMs()).isEqualTo(wait);
            assertThat(backoff.mayAttempt(now + (wait - 1) * MS)).isFalse();
            assertThat(backoff.mayAttempt(now + wait * MS)).isTrue();
            now += wait * MS;
        }
    }

    @Test
    void success_resetsToImmediate() {
        backoff.failed(0);
        backoff.failed(100 * MS);
        backoff.succeeded();
        assertThat(backoff.mayAttempt(100 * MS)).isTrue();
        backoff.failed(200 * MS);
        assertThat(backoff.currentWaitMs()).isEqualTo(100);
    }

    @Test
    void waitLeft_countsDown() {
        backoff.failed(0);
        assertThat(backoff.waitLeftMs(40 * MS)).isBetween(60L, 61L);
        assertThat(backoff.waitLeftMs(100 * MS)).isZero();
    }
}
