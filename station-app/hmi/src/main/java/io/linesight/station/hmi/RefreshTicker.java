// SPDX-License-Identifier: Apache-2.0
package io.linesight.station.hmi;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs the HMI's refresh on the FX thread {@code hz} times a second, and nothing more often.
 *
 * <p>Why not an {@code AnimationTimer} or a {@code Timeline}: while either runs, JavaFX pulses (CSS, layout, a
 * render pass) 60 times a second whatever the refresh rate, and on a station without a GPU every pulse is CPU taken
 * from inspection. Posting the refresh with {@code Platform.runLater} instead lets the toolkit pulse only when a
 * refresh changed the scene. A tick is dropped while the previous one still waits on the FX thread, so a busy FX
 * thread never builds a queue of refreshes.
 *
 * <p>The ticking thread is a daemon at the lowest Java priority; the refresh gets {@link System#nanoTime()} of the
 * moment it runs.
 */
final class RefreshTicker implements AutoCloseable {
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hmi-refresh");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();

    /**
     * @param hz refreshes a second, at least 1
     * @param post hands a task to the FX thread (normally {@code Platform::runLater})
     * @param refresh the refresh, called on whatever thread {@code post} runs it, with the time it runs
     */
    RefreshTicker(int hz, Consumer<Runnable> post, java.util.function.LongConsumer refresh) {
        if (hz < 1) {
            throw new IllegalArgumentException("refresh rate " + hz + " Hz must be at least 1");
        }
        long period = 1_000_000_000L / hz;
        clock.scheduleAtFixedRate(() -> {
            if (pending.compareAndSet(false, true)) {
                post.accept(() -> {
                    pending.set(false);
                    refresh.accept(System.nanoTime());
                });
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /** Stops ticking; a refresh already posted may still run. Any thread. */
    @Override
    public void close() {
        clock.shutdownNow();
    }
}
