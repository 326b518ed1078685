/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("reconnect backoff should")
class BackoffTest {
    private static final long MS = 1_000_000;

    @Test
    void doubleFromTheFirstDelay_upToTheCap_whenNoJitterIsDrawn() {
        Backoff b = new Backoff(100, 1_000, 0.2);
        assertThat(IntStream.rangeClosed(1, 7).mapToLong(n -> b.delayNanos(n, () -> 0)).toArray())
                .containsExactly(100 * MS, 200 * MS, 400 * MS, 800 * MS, 1_000 * MS, 1_000 * MS, 1_000 * MS);
    }

    @Test
    void onlyShortenADelay_byAtMostTheJitterFraction() {
        Backoff b = new Backoff(100, 1_000, 0.2);
        assertThat(b.delayNanos(1, () -> 0.999_999)).isBetween(80 * MS, 81 * MS);
        assertThat(b.delayNanos(50, () -> 0.5)).isEqualTo(900 * MS);
    }

    @Test
    void stayAtTheCap_afterAVeryLongOutage() {
        Backoff b = new Backoff(100, 600_000, 0);
        assertThat(b.delayNanos(10_000, () -> 0)).isEqualTo(600_000 * MS);
    }

    @Test
    void refuseAFirstDelayAboveTheCap_orJitterBeyondHalf() {
        assertThatThrownBy(() -> new Backoff(500, 100, 0)).hasMessageContaining("firstMs <= maxMs");
        assertThatThrownBy(() -> new Backoff(100, 500, 0.9)).hasMessageContaining("jitter 0.9");
    }
}
