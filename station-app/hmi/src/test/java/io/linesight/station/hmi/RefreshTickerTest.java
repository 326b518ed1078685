/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HMI's refresh clock, with a plain list standing in for the FX thread's queue (no display needed). */
class RefreshTickerTest {

    @Test
    void aBusyFxThreadGetsOneWaitingRefresh_notAQueueOfThem() throws Exception {
        List<Runnable> fxQueue = new CopyOnWriteArrayList<>();
        AtomicInteger refreshes = new AtomicInteger();
        RefreshTicker ticker = new RefreshTicker(30, fxQueue::add, now -> refreshes.incrementAndGet());
        try {
            // 30 Hz for 400 ms: a dozen ticks, while the "FX thread" runs nothing
            Thread.sleep(400);
            assertThat(fxQueue).hasSize(1);
            fxQueue.removeFirst().run();
            assertThat(refreshes).hasValue(1);
            // once it ran, the next tick posts again
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (fxQueue.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertThat(fxQueue).hasSize(1);
        } finally {
            ticker.close();
        }
    }

    @Test
    void refreshesKeepComingWhileTheFxThreadKeepsUp_andStopWhenClosed() throws Exception {
        CountDownLatch five = new CountDownLatch(5);
        AtomicInteger refreshes = new AtomicInteger();
        RefreshTicker ticker = new RefreshTicker(20, Runnable::run, now -> {
            refreshes.incrementAndGet();
            five.countDown();
        });
        assertThat(five.await(10, TimeUnit.SECONDS)).isTrue();
        ticker.close();
        Thread.sleep(100); // a tick running at close has finished
        int atClose = refreshes.get();
        Thread.sleep(300); // six periods
        assertThat(refreshes).hasValue(atClose);
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThatThrownBy(() -> new RefreshTicker(0, Runnable::run, now -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 Hz");
    }
}
