/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that watches one controller: every tick it runs the controller's poll, which decides itself whether a
 * keep-alive or a reconnect is due. A platform thread, not a virtual one: a serial port read blocks in native code
 * (jSerialComm), which would pin a virtual thread's carrier.
 */
final class KeepAlive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);

    private final Thread thread;
    private final long tickNanos;
    private final Runnable poll;
    private volatile boolean stopped;

    private KeepAlive(String lightId, long tickMs, Runnable poll) {
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMs);
        this.poll = poll;
        this.thread = Thread.ofPlatform().daemon().name("light-keepalive-" + lightId).unstarted(this::loop);
        this.thread.setUncaughtExceptionHandler((t, e) -> LOG.atError().addKeyValue("light", lightId).setCause(e).log("keep-alive thread died"));
    }

    /** Starts the thread; {@code poll} runs every {@code tickMs} until {@link #close()}. */
    static KeepAlive start(String lightId, long tickMs, Runnable poll) {
        KeepAlive keepAlive = new KeepAlive(lightId, tickMs, poll);
        keepAlive.thread.start();
        return keepAlive;
    }

    private void loop() {
        while (!stopped) {
            LockSupport.parkNanos(this, tickNanos);
            if (stopped) {
                return;
            }
            try {
                poll.run();
            } catch (RuntimeException e) {
                // a bug in one poll must not end the watch: the next tick tries again
                LOG.atError().setCause(e).log("keep-alive poll failed");
            }
        }
    }

    /** Stops the thread and waits briefly for it; a poll under way ends with its exchange's timeout at most. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
