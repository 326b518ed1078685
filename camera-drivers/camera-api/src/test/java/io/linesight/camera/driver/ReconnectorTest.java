/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.CameraException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the reconnector should")
class ReconnectorTest {
    private static final long MS = 1_000_000;
    private final FakeClock clock = new FakeClock();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final Reconnector.Listener listener = (state, attempt, error) -> states.add(state + ":" + attempt);

    /** An attempt that fails {@code failures} times, then connects. */
    private static Reconnector.Attempt failing(int failures) {
        int[] calls = {0};
        return () -> {
            if (calls[0]++ < failures) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED, "not found");
            }
        };
    }

    @Test
    void backOffExponentially_untilTheDeviceIsBack_andSayEachStep() {
        Reconnector r = new Reconnector("top", new Backoff(100, 400, 0), clock, () -> 0, listener);
        assertThat(r.run(failing(3))).isTrue();
        assertThat(clock.pauses).containsExactly(100 * MS, 200 * MS, 400 * MS, 400 * MS);
        assertThat(states).containsExactly("RECONNECTING:1", "ATTEMPT_FAILED:1", "RECONNECTING:2",
                "ATTEMPT_FAILED:2", "RECONNECTING:3", "ATTEMPT_FAILED:3", "RECONNECTING:4", "RECONNECTED:4");
    }

    @Test
    void keepTrying_whenAnAttemptThrowsABug() {
        int[] calls = {0};
        Reconnector r = new Reconnector("top", new Backoff(100, 400, 0), clock, () -> 0, listener);
        assertThat(r.run(() -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("bug in attempt");
            }
        })).isTrue();
        assertThat(states).containsExactly("RECONNECTING:1", "ATTEMPT_FAILED:1", "RECONNECTING:2", "RECONNECTED:2");
    }

    @Test
    void giveUp_whenClosedDuringTheBackoff() {
        clock.pausesUntilClosed = 1;
        Reconnector r = new Reconnector("top", new Backoff(100, 400, 0), clock, () -> 0, listener);
        assertThat(r.run(failing(Integer.MAX_VALUE))).isFalse();
        assertThat(states).containsExactly("RECONNECTING:1", "ATTEMPT_FAILED:1", "RECONNECTING:2", "GAVE_UP:2");
    }

    @Test
    void reconnectOnItsOwnNamedThread_neverTwoAtOnce() throws Exception {
        CountDownLatch attempted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twice = new CountDownLatch(2);
        AtomicInteger running = new AtomicInteger();
        List<Integer> overlap = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Reconnector r = new Reconnector("top", "cam-reconnect-top", new Backoff(1, 1, 0), (s, n, e) -> {
            if (s == Reconnector.State.RECONNECTED) {
                twice.countDown();
            }
        })) {
            Reconnector.Attempt attempt = () -> {
                overlap.add(running.incrementAndGet());
                threads.add(Thread.currentThread().getName());
                attempted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
            };
            assertThat(r.lost(attempt)).isTrue();
            assertThat(attempted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(r.lost(attempt)).as("a second loss while reconnecting starts no thread now").isFalse();
            release.countDown();
            assertThat(twice.await(10, TimeUnit.SECONDS)).as("it is reconnected after the first").isTrue();
        }
        assertThat(threads).containsExactly("cam-reconnect-top", "cam-reconnect-top");
        assertThat(overlap).as("attempts running at once").containsOnly(1);
    }

    @Test
    void startANewReconnection_whenTheCameraIsLostAgainAsSoonAsItIsBack() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        Reconnector.Attempt attempt = () -> threads.add(Thread.currentThread().getName());
        Reconnector[] self = new Reconnector[1];
        try (Reconnector r = new Reconnector("top", "cam-reconnect-top", new Backoff(1, 1, 0), (s, n, e) -> {
            if (s == Reconnector.State.RECONNECTED && threads.size() == 1) {
                // the sink hears of the recovery and the new session is already gone
                self[0].lost(attempt);
            } else if (s == Reconnector.State.RECONNECTED) {
                second.countDown();
            }
        })) {
            self[0] = r;
            assertThat(r.lost(attempt)).isTrue();
            assertThat(second.await(10, TimeUnit.SECONDS)).as("a second reconnection ran").isTrue();
        }
        assertThat(threads).hasSize(2);
    }

    @Test
    void reconnectAgain_whenALossIsReportedWhileAnAttemptRuns() throws Exception {
        CountDownLatch twice = new CountDownLatch(2);
        List<String> threads = new CopyOnWriteArrayList<>();
        Reconnector[] self = new Reconnector[1];
        Reconnector.Attempt attempt = new Reconnector.Attempt() {
            @Override
            public void connect() {
                threads.add(Thread.currentThread().getName());
                if (threads.size() == 1) {
                    // the session this attempt opened is lost before the attempt has even returned
                    assertThat(self[0].lost(this)).as("no second thread while one runs").isFalse();
                }
            }
        };
        try (Reconnector r = new Reconnector("top", "cam-reconnect-top", new Backoff(1, 1, 0), (s, n, e) -> {
            if (s == Reconnector.State.RECONNECTED) {
                twice.countDown();
            }
        })) {
            self[0] = r;
            assertThat(r.lost(attempt)).isTrue();
            assertThat(twice.await(10, TimeUnit.SECONDS)).as("a second reconnection followed").isTrue();
        }
        assertThat(threads).containsExactly("cam-reconnect-top", "cam-reconnect-top");
    }

    @Test
    void endAWaitingReconnectThread_onClose() throws Exception {
        Reconnector r = new Reconnector("top", "cam-reconnect-top", new Backoff(600_000, 600_000, 0), listener);
        assertThat(r.lost(failing(0))).isTrue();
        r.close();
        assertThat(r.reconnecting()).isFalse();
        assertThat(states).containsExactly("RECONNECTING:1", "GAVE_UP:1");
        assertThat(r.lost(failing(0))).as("no reconnecting after close").isFalse();
    }
}
