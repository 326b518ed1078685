/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import io.linesight.station.timing.StageTimes;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Admission by capacity: decides at a part's trigger whether the station can still decide it in time, so that a part
 * it cannot take is rejected with {@code OVERLOAD} at once, before any camera or CPU time is spent on it, and the parts
 * it takes are not slowed down by the ones it could not. Without it, a few seconds of overload turn into a long run
 * of TIMEOUTs: every part waits behind parts that are already lost.
 *
 * <p><b>The estimate.</b> It learns what a part costs now in each stage, as moving means and mean deviations of wall
 * time: acquisition on its one thread, inspection on each of {@code workers} threads, and how fast the inspection
 * stage as a whole gets through parts while every worker is busy (the time between finished parts then). A full
 * line moves at the pace of its slowest stage, so each part ahead of the new one (taken and not yet decided, wherever
 * it is) holds it up by {@code max(acquire, inspection's pace)}: the measured time between finished parts of the busy
 * workers, or, until they have been seen busy, one part's whole inspection time (no speed-up from more workers is
 * assumed: they share the cores with every other stage, and a pace learned at a light load would take far too many
 * parts at the onset of an overload). The part itself then needs its own acquisition and inspection (mean plus one
 * deviation each). The slowest stage, not the sum of the stages: when inspection is the bottleneck, acquisition waits
 * for free frame buffers and its time already contains the wait, which a sum would count twice. A part is taken when
 * that estimate is within {@link #ADMIT_SHARE} of the time it has until its deadline less the publish margin
 * ({@code decideByNanos}); the rest is room for the estimate to be wrong, so that a part that was taken is decided,
 * not timed out.
 *
 * <p><b>Safety net.</b> Before acquisition and before inspection the station asks again, on the mean costs alone,
 * whether the part can still make it; a part that cannot is shed there ({@code OVERLOAD} too, but after a wait).
 * Those are counted apart ({@link #shedAfterTrigger()}): with admission at the trigger they should stay rare.
 *
 * <p>It never locks itself out: the first {@link #WARM_UP_PARTS} parts after start (cold caches, JIT) only warm it up
 * (every part is taken until then), and when a stage has had no finished part for {@link #PROBE_NANOS} a part is
 * taken as a probe when nothing is ahead, else one per interval (the safety nets do not judge by such a stale estimate
 * either), so the estimates follow a machine that got fast again.
 *
 * <p>Thread-safe; called by the trigger threads, the acquisition thread and the inspection workers. Never blocks.
 */
public final class LoadShedder {
    static final int WARM_UP_PARTS = 8;
    static final long PROBE_NANOS = 200_000_000L;
    /**
     * How long a measured pace of the busy workers stays good: longer than the other estimates, so that a queue that
     * runs empty for a moment does not fall back to the cautious pace and turn parts away it could take.
     */
    static final long SPACING_FRESH_NANOS = 2_000_000_000L;
    /**
     * The share of a part's time to its decide-by point that the estimate may fill at its trigger. The other half
     * absorbs a machine that gets up to twice as slow while the part waits (other processes, a burst of archive or
     * store work); a shorter queue costs no throughput as long as it is not empty, which at a rate above capacity it
     * never is.
     */
    static final double ADMIT_SHARE = 0.5;

    private final int workers;
    private final Cost acquire = new Cost();
    private final Cost inspect = new Cost();
    /** Time between finished inspections while the workers were busy: the inspection stage's pace. */
    private final Cost spacing = new Cost();
    private long lastFinishedNanos;
    private boolean waitingAtLastFinish;
    private final AtomicLong shedAtTrigger = new AtomicLong();
    private final AtomicLong shedBeforeAcquisition = new AtomicLong();
    private final AtomicLong shedBeforeInspection = new AtomicLong();
    private final @Nullable StageTimes stages;
    private long lastProbeNanos;

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

    /**
     * One part's inspection took {@code nanos} (rules, model and handing over its verdict; not its wait in the queue)
     * and ended at {@code finishedNanos}.
     *
     * @param busy whether, as it ended, every worker was busy or parts were waiting for one: then, and if so at the
     *             previous end too, the time since that end is how fast the workers get through parts when busy
     */
    public void inspected(long nanos, long finishedNanos, boolean busy) {
        inspect.add(nanos);
        long previous;
        boolean busySince;
        synchronized (this) {
            previous = lastFinishedNanos;
            busySince = waitingAtLastFinish;
            lastFinishedNanos = finishedNanos;
            waitingAtLastFinish = busy;
        }
        if (busy && busySince) {
            spacing.add(Math.max(0, finishedNanos - previous));
        }
    }

    /**
     * At a part's trigger: whether the station takes it.
     *
     * @param ahead parts taken and not yet decided: waiting for or in acquisition, waiting for or in inspection
     * @return null to take it, or why not (the detail of its {@code OVERLOAD} reject)
     */
    public @Nullable String admit(long nowNanos, long decideByNanos, int ahead) {
        if (!acquire.warm() || !inspect.warm()) {
            return null; // nothing learned yet: a cold start's first parts are not what a part costs
        }
        if (!judges(nowNanos, ahead)) {
            return null;
        }
        // each stage's pace at its mean plus one deviation: when the load steps up, the times rise faster than a mean
        // follows, and a pace taken at the mean admits parts that the safety net then has to shed late
        long acquirePace = acquire.estimate();
        boolean measuredPace = spacing.warm() && nowNanos - spacing.lastSample() <= SPACING_FRESH_NANOS;
        // until the workers are seen to get through parts together, no speed-up is assumed: on a machine whose cores
        // the other stages share too, a second worker may not make inspection any faster
        long inspectPace = measuredPace ? spacing.estimate() : inspect.estimate();
        long pace = Math.max(acquirePace, inspectPace);
        long own = acquire.estimate() + inspect.estimate();
        long need = ahead * pace + own;
        long left = decideByNanos - nowNanos;
        if (need <= ADMIT_SHARE * left) {
            return null;
        }
        shedAtTrigger.incrementAndGet();
        return String.format(Locale.ROOT, "not taken at its trigger: %d parts ahead x %.1f ms (%s, the slowest stage) "
                + "+ %.1f ms for the part itself = %.0f ms, more than %.0f%% of the %.0f ms to its deadline less the "
                + "publish margin", ahead, pace / 1e6, acquirePace >= inspectPace ? "acquisition"
                : measuredPace ? String.format(Locale.ROOT, "inspection: a part finished every %.1f ms while its %d "
                + "workers were busy", spacing.estimate() / 1e6, workers)
                : String.format(Locale.ROOT, "inspection, not yet seen busy on its %d workers", workers),
                own / 1e6, need / 1e6, ADMIT_SHARE * 100, Math.max(0, left) / 1e6);
    }

    /**
     * At a part's trigger, when the acquisition queue has no room left: the part is not taken either. A full queue is
     * a backlog the estimate did not turn away (a probe, a cold start, a queue shorter than the deadline allows), and
     * the part it would have held is shed like any other: {@code OVERLOAD} at once, counted at the trigger.
     *
     * @return the detail of its {@code OVERLOAD} reject
     */
    public String queueFull(int waiting) {
        shedAtTrigger.incrementAndGet();
        return "not taken at its trigger: the acquisition queue is full (" + waiting + " parts waiting)";
    }

    /**
     * Before a shot, when its camera still owes the frame of an earlier trigger (a part whose deadline ran out first):
     * the part is shed, counted before acquisition, since a trigger now would have its frame taken for the owed one.
     *
     * @return the detail of its {@code OVERLOAD} reject
     */
    public String cameraOwesFrame(String camera, long owedForNanos, int frameTimeoutMs) {
        shedBeforeAcquisition.incrementAndGet();
        return "camera " + camera + " owes the frame of a trigger sent " + owedForNanos / 1_000_000 + " ms ago; not "
                + "triggered again until it comes or its " + frameTimeoutMs + " ms frame timeout has passed";
    }

    /**
     * Safety net, before a taken part's first shot: sheds it when, even at the mean costs, it could no longer be
     * decided in time.
     *
     * @param inspectionAhead parts waiting for or in inspection now
     * @return null to go on, or why the part is shed
     */
    public @Nullable String beforeAcquisition(long nowNanos, long decideByNanos, int inspectionAhead) {
        if (!acquire.fresh(nowNanos) || !inspect.fresh(nowNanos)) {
            return null;
        }
        // imaged while the parts ahead are inspected (a full frame pool makes acquisition wait for them anyway)
        long need = Math.max(acquire.mean(), inspectionWait(inspectionAhead)) + inspect.mean();
        return late(nowNanos, decideByNanos, need, inspectionAhead, "acquisition", shedBeforeAcquisition);
    }

    /** Safety net, as a taken part joins or leaves the inspection queue; {@code inspectionAhead} go first. */
    public @Nullable String beforeInspection(long nowNanos, long decideByNanos, int inspectionAhead) {
        if (!inspect.fresh(nowNanos)) {
            return null;
        }
        long need = inspectionWait(inspectionAhead) + inspect.mean();
        return late(nowNanos, decideByNanos, need, inspectionAhead, "inspection", shedBeforeInspection);
    }

    /**
     * Whether admission judges by the estimates now (both stages are warm): yes while both have a fresh estimate. A
     * stale one (no part finished for {@link #PROBE_NANOS}) is not trusted with an idle pipeline, which has nothing to
     * renew it, nor for one probe each interval while parts are stuck ahead.
     */
    private synchronized boolean judges(long now, int ahead) {
        if (acquire.fresh(now) && inspect.fresh(now)) {
            return true;
        }
        if (ahead == 0) {
            return false;
        }
        if (now - lastProbeNanos > PROBE_NANOS) {
            lastProbeNanos = now;
            return false;
        }
        return true;
    }

    private long inspectionWait(int ahead) {
        return (long) Math.ceil((double) ahead / workers) * inspect.mean();
    }

    private @Nullable String late(long now, long decideBy, long need, int ahead, String stage, AtomicLong counter) {
        long late = now + need - decideBy;
        if (late <= 0) {
            return null;
        }
        counter.incrementAndGet();
        return String.format(Locale.ROOT, "shed before %s, after it was taken: with %d parts ahead it would be decided "
                + "%.0f ms after its deadline less the publish margin (a part costs ~%.1f ms to image, ~%.1f ms to "
                + "inspect)", stage, ahead, late / 1e6, acquire.mean() / 1e6, inspect.mean() / 1e6);
    }

    /** Parts shed since start, at their trigger and after. */
    public long shed() {
        return shedAtTrigger.get() + shedAfterTrigger();
    }

    /** Parts not taken at their trigger since start. */
    public long shedAtTrigger() {
        return shedAtTrigger.get();
    }

    /** Parts taken at their trigger and shed later by the safety net (before acquisition or inspection). */
    public long shedAfterTrigger() {
        return shedBeforeAcquisition.get() + shedBeforeInspection.get();
    }

    /** Of {@link #shedAfterTrigger()}: the ones shed before their first shot. */
    public long shedBeforeAcquisition() {
        return shedBeforeAcquisition.get();
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

        synchronized long lastSample() {
            return lastSampleNanos;
        }

        synchronized boolean warm() {
            return count >= WARM_UP_PARTS;
        }

        /**
         * Whether a part finished within {@link #PROBE_NANOS}. The safety nets judge only by fresh estimates, so that
         * a probe taken at its trigger is not shed on the estimate it is meant to renew.
         */
        synchronized boolean fresh(long now) {
            return count >= WARM_UP_PARTS && now - lastSampleNanos <= PROBE_NANOS;
        }

        synchronized long mean() {
            return (long) mean;
        }

        synchronized long estimate() {
            return (long) (mean + deviation);
        }
    }
}
