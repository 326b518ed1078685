/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.service;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the station's own state lines into systemd notifications: {@code READY=1} when the station prints that it is
 * running, {@code STATUS=} with the latest progress line, and {@code WATCHDOG=1} on every {@link #tick()} while the
 * station is healthy. Healthy means: its run loop printed a progress line within {@code stallNanos} (the runner prints
 * one every 2 s), the pipeline those lines report on is alive and moving (their last field, {@code pipeline=ok}, or
 * {@code pipeline=stalled: why} when the acquisition thread, an inspection worker or the PLC sender has ended or is
 * stuck; a stall must last {@link #PIPELINE_GRACE_NANOS} so that a PLC sender's supervised restart does not count),
 * and no threads are deadlocked. When unhealthy the ping is withheld, so systemd kills and restarts the
 * service after {@code WatchdogSec}. {@link #onLine} is called on the printing thread, {@link #tick()} on one timer
 * thread; both only touch volatile fields.
 */
final class ServiceWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatchdog.class);

    private final SystemdNotifier notifier;
    private final long stallNanos;
    private final LongSupplier clock;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile boolean ready;
    private volatile long lastProgress;
    private volatile @Nullable String status;
    private volatile @Nullable String lastWithheld;
    /** Why the pipeline is stalled, from the latest progress line, and since when; null while it is fine. */
    private volatile @Nullable String pipelineStall;
    private volatile long pipelineStallSince;
    static final long PIPELINE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    ServiceWatchdog(SystemdNotifier notifier, long stallNanos, LongSupplier clock) {
        this.notifier = notifier;
        this.stallNanos = stallNanos;
        this.clock = clock;
    }

    /** One line the station printed on stdout. */
    void onLine(String line) {
        if (!ready && line.startsWith("station ") && line.contains(" running recipe ")) {
            lastProgress = clock.getAsLong();
            ready = true;
            send("READY=1\nSTATUS=" + line);
        } else if (line.startsWith("[progress]")) {
            long now = clock.getAsLong();
            lastProgress = now;
            status = line;
            int at = line.indexOf(" pipeline=stalled: ");
            if (at < 0) {
                pipelineStall = null;
            } else {
                if (pipelineStall == null) {
                    pipelineStallSince = now;
                }
                pipelineStall = line.substring(at + " pipeline=stalled: ".length());
            }
        }
    }

    /** Called every half WatchdogSec: pings systemd if the station is healthy, else says why not. */
    void tick() {
        if (!ready) {
            return; // TimeoutStartSec covers a station that never comes up
        }
        String problem = problem();
        if (problem == null) {
            String s = status;
            send(s == null ? "WATCHDOG=1" : "WATCHDOG=1\nSTATUS=" + s);
            lastWithheld = null;
        } else if (!problem.equals(lastWithheld)) {
            lastWithheld = problem;
            LOG.atError().setMessage("watchdog ping withheld, systemd will restart the station").addKeyValue("reason", problem).log();
            send("STATUS=unhealthy: " + problem);
        }
    }

    void stopping() {
        send("STOPPING=1");
    }

    private @Nullable String problem() {
        long silentNanos = clock.getAsLong() - lastProgress;
        if (silentNanos > stallNanos) {
            return "no progress line for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s (run loop stalled)";
        }
        String stall = pipelineStall;
        if (stall != null && clock.getAsLong() - pipelineStallSince >= PIPELINE_GRACE_NANOS) {
            return "pipeline stalled: " + stall;
        }
        long[] deadlocked = threads.findDeadlockedThreads();
        if (deadlocked != null && deadlocked.length > 0) {
            return deadlocked.length + " threads deadlocked";
        }
        return null;
    }

    private void send(String state) {
        try {
            notifier.send(state);
        } catch (IOException e) {
            LOG.atWarn().setMessage("sd_notify failed").addKeyValue("error", e.getMessage()).log();
        }
    }
}
