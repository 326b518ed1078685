/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.time.Duration;

/**
 * Decides when an MQTT client that has stayed disconnected too long must be told to reconnect. Paho's automatic
 * reconnect ends for good when an attempt is refused before it starts (its {@code attemptReconnect} swallows the
 * exception that {@code connect} throws while the client is still connecting or disconnecting, and schedules no
 * further attempt); the link would then stay down with verdicts piling up in the journal. The patience is longer than
 * one whole reconnect attempt (backoff plus connection timeout), so a healthy reconnect cycle is never interrupted.
 *
 * <p>Not thread-safe: one thread calls {@link #due} periodically (the link's maintenance thread).
 */
public final class ReconnectWatchdog {
    /** Paho's longest backoff (10 s) plus its connection timeout (10 s) plus a margin. */
    public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(25);

    private volatile long patienceNanos;
    private boolean down;
    private long downSinceNanos;

    public ReconnectWatchdog(Duration patience) {
        patience(patience);
    }

    /** Changes the patience (tests use a short one); takes effect at the next call of {@link #due}. */
    public void patience(Duration patience) {
        if (patience.isNegative() || patience.isZero()) {
            throw new IllegalArgumentException("reconnect patience must be positive: " + patience);
        }
        this.patienceNanos = patience.toNanos();
    }

    /**
     * True when the client has been disconnected for the whole patience since it went down or since the last time this
     * answered true; the caller then asks the client to reconnect.
     */
    public boolean due(boolean connected, long nowNanos) {
        if (connected) {
            down = false;
            return false;
        }
        if (!down) {
            down = true;
            downSinceNanos = nowNanos;
            return false;
        }
        if (nowNanos - downSinceNanos >= patienceNanos) {
            downSinceNanos = nowNanos;
            return true;
        }
        return false;
    }
}
