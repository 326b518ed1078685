/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.util.concurrent.TimeUnit;

/**
 * When the next reconnect may be tried. After a good connection drops, the next apply reconnects at once; each failed
 * attempt doubles the wait (from {@code minMs} up to {@code maxMs}), and an apply inside the wait fails at once
 * instead of blocking the sequencer on a controller that is known to be away. Not thread-safe: used under the
 * controller's exchange lock (by the apply thread or the keep-alive thread).
 */
public final class ReconnectBackoff {
    private final long minNanos;
    private final long maxNanos;
    private long waitNanos;
    private long nextAttemptAt;
    private boolean waiting;

    public ReconnectBackoff(long minMs, long maxMs) {
        if (minMs < 1 || maxMs < minMs) {
            throw new IllegalArgumentException("backoff must satisfy 1 <= min <= max, got " + minMs + ".." + maxMs);
        }
        this.minNanos = TimeUnit.MILLISECONDS.toNanos(minMs);
        this.maxNanos = TimeUnit.MILLISECONDS.toNanos(maxMs);
    }

    /** Whether an attempt may be made at {@code nowNanos}. */
    public boolean mayAttempt(long nowNanos) {
        return !waiting || nowNanos - nextAttemptAt >= 0;
    }

    /** Milliseconds until the next attempt is allowed (0 if now). */
    public long waitLeftMs(long nowNanos) {
        return mayAttempt(nowNanos) ? 0 : TimeUnit.NANOSECONDS.toMillis(nextAttemptAt - nowNanos) + 1;
    }

    public void failed(long nowNanos) {
        waitNanos = waitNanos == 0 ? minNanos : Math.min(maxNanos, waitNanos * 2);
        nextAttemptAt = nowNanos + waitNanos;
        waiting = true;
    }

    public void succeeded() {
        waitNanos = 0;
        waiting = false;
    }

    /** The wait after a first failure, in ns. */
    long minNanos() {
        return minNanos;
    }

    /** The wait the last failure imposed, in ms (0 after a success). */
    public long currentWaitMs() {
        return TimeUnit.NANOSECONDS.toMillis(waitNanos);
    }
}
