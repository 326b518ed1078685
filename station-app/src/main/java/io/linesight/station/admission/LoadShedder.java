/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import io.linesight.station.timing.StageTimes;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Sheds parts that could not be decided before their deadline anyway, so that no camera or CPU time is spent on them
 * and the parts behind them still make it. Without it, a few seconds of overload turn into a long run of TIMEOUTs:
 * every part waits behind parts that are already lost.
 *
 * <p>It learns what a part costs now in each stage (acquisition on its one thread, inspection on {@code workers}
 * threads) as moving means and mean deviations, and asks before each stage whether the part, with the parts queued
 * ahead of it (at their mean cost), would still be decided before its watchdog fires (at its own mean plus one
 * deviation). If not, the caller rejects it at once with {@code OVERLOAD}: an immediate, honest reject instead of a
 * late TIMEOUT.
 *
 * <p>It never locks itself out: the first parts after start (cold caches, JIT) only warm it up, and when a stage
 * has had no finished part for {@link #PROBE_NANOS} one part is let through as a probe, so the estimates follow a
 * machine that got fast again.
 *
 * <p>Thread-safe; called by the trigger threads, the acquisition thread and the inspection workers.
 */
public final class LoadShedder {
    private static final int WARM_UP_PARTS = 8;
    static final long PROBE_NANOS = 200_000_000L;

    private final int workers;
    private final Cost acquire = new Cost();
    private final Cost inspect = new Cost();
    private final AtomicLong shed = new AtomicLong();
    private final @Nullable StageTimes stages;

    public LoadShedder(int workers) {
        this(workers, null);
    }

    /** @param stages where each part's acquisition time is also counted (the station's stage timings), or null */
    public LoadShedder(int workers, @Nullable StageTimes stages) {
        this.workers = Math.max(1, workers);
        this.stages = stages;
    }

    /** One part's acquisition took {@code nanos} (its shots, not its wait in the queue). */
    public void acquired(long nanos) {
        acquire.add(nanos);
    }

    /** As {@link #acquired(long)}, with the acquisition thread's CPU time for the stage timings. */
    public void acquired(long nanos, long cpuNanos) {
        acquired(nanos);
        if (stages != null) {
            stages.add(StageTimes.Stage.ACQUIRE, nanos, cpuNanos);
        }
    }

    /** One part's inspection took {@code nanos} (rules and model, not its wait in the queue). */
    public void inspected(long nanos) {
        inspect.add(nanos);
    }

    /**
     * Before a part joins or leaves the acquisition queue.
     *
     * @param acquisitionAhead parts that will be imaged before it
     * @param inspectionAhead  parts waiting for an inspection worker now
     * @return null to go on, or why the part is shed
     */
    public @Nullable String beforeAcquisition(long nowNanos, long decideByNanos, int acquisitionAhead, int inspectionAhead) {
        if (!acquire.ready(nowNanos) || !inspect.ready(nowNanos)) {
            return null;
        }
        long need = acquisitionAhead * acquire.mean() + acquire.estimate() + inspectionWait(inspectionAhead) + inspect.estimate();
        return verdict(nowNanos, decideByNanos, need, acquisitionAhead, "acquisition");
    }

    /** Before a part joins or leaves the inspection queue; {@code inspectionAhead} parts will be inspected first. */
    public @Nullable String beforeInspection(long nowNanos, long decideByNanos, int inspectionAhead) {
        if (!inspect.ready(nowNanos)) {
            return null;
        }
        long need = inspectionWait(inspectionAhead) + inspect.estimate();
        return verdict(nowNanos, decideByNanos, need, inspectionAhead, "inspection");
    }

    private long inspectionWait(int ahead) {
        return (long) Math.ceil((double) ahead / workers) * inspect.mean();
    }

    private @Nullable String verdict(long now, long decideBy, long need, int ahead, String stage) {
        long late = now + need - decideBy;
        if (late <= 0) {
            return null;
        }
        shed.incrementAndGet();
        return String.format(Locale.ROOT, "shed before %s: with %d parts ahead it would be decided %.0f ms after its "
                + "deadline (a part costs ~%.1f ms to image, ~%.1f ms to inspect)", stage, ahead, late / 1e6,
                acquire.estimate() / 1e6, inspect.estimate() / 1e6);
    }

    /** Parts shed since start. */
    public long shed() {
        return shed.get();
    }

    /** The estimate a part costs to image now, in nanoseconds (0 before the first part). */
    public long acquireEstimateNanos() {
        return acquire.estimate();
    }

    /** The estimate a part costs to inspect now, in nanoseconds (0 before the first part). */
    public long inspectEstimateNanos() {
        return inspect.estimate();
    }

    /** Moving mean and mean absolute deviation (weight 1/8 for the newest sample), after a warm-up. */
    private static final class Cost {
        private long count;
        private double mean;
        private double deviation;
        private long lastSampleNanos;
        private long lastProbeNanos;

        synchronized void add(long nanos) {
            lastSampleNanos = System.nanoTime();
            if (++count <= WARM_UP_PARTS) {
                mean = nanos; // the warm-up parts are not typical: only the last one counts
                return;
            }
            double d = nanos - mean;
            mean += d / 8;
            deviation += (Math.abs(d) - deviation) / 8;
        }

        /** Whether to judge by the estimate: warmed up, and not starved of fresh samples (else: let a probe by). */
        synchronized boolean ready(long now) {
            if (count < WARM_UP_PARTS) {
                return false;
            }
            if (now - lastSampleNanos > PROBE_NANOS && now - lastProbeNanos > PROBE_NANOS) {
                lastProbeNanos = now;
                return false;
            }
            return true;
        }

        synchronized long mean() {
            return (long) mean;
        }

        synchronized long estimate() {
            return (long) (mean + deviation);
        }
    }
}
