/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.verdict;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every part gets exactly one verdict, before its deadline (invariant 1). Each triggered part gets a
 * {@link Ticket}; the first of "the pipeline decided", "a fault rejected it" and "the watchdog fired" wins; a later
 * pipeline result is recorded as late, never sent.
 *
 * <p><b>The ticket stays armed until its verdict is out.</b> The watchdog timer is cancelled only once
 * {@link DecisionSink#publish} returned, i.e. the verdict is numbered, journaled and queued for the broker. If
 * publishing throws (anything, errors included), the part gets the fail-safe {@code REJECT STATION_ERROR} at once;
 * if even that cannot be published, the watchdog tries again when it fires.
 *
 * <p><b>TIMEOUT before the deadline.</b> The watchdog fires {@code publishMargin} before the deadline, so the
 * TIMEOUT is on its way before the reject gate must act (docs/PLC.md). Its threads are created by the station with
 * real-time scheduling where it may have it.
 *
 * <p>Thread-safe. {@link DecisionSink} methods run on the winning thread: an inspection worker, the acquisition
 * thread (parts rejected before inspection) or the watchdog thread.
 */
public final class VerdictGate {
    private static final Logger log = LoggerFactory.getLogger(VerdictGate.class);
    private static final int OPEN = 0;
    private static final int PUBLISHING = 1;
    private static final int PUBLISHED = 2;
    private static final int FAILED = 3;
    private static final long RECHECK_NANOS = 2_000_000L;
    /** In the TIMEOUT detail of a part the station learned of only after its deadline (a late PLC message). */
    public static final String ANNOUNCED_LATE = "past its deadline when the station learned of it";

    /** Receives decisions. */
    public interface DecisionSink {
        /**
         * Sends the part's one verdict to the PLC and returns it numbered. Must be quick: the reject gate is waiting.
         * A throw means the verdict is not out; the gate then sends the fail-safe reject.
         */
        Inspection publish(Inspection inspection);

        /**
         * Everything after the PLC (counters, store, archive, viewers). {@code evidence} carries the part's frames
         * when the pipeline decided (null otherwise); it is lent for the call only. A throw is logged, nothing more.
         */
        void recorded(Inspection numbered, @Nullable Object evidence);

        /** The pipeline finished a part after the watchdog had already rejected it. */
        void late(Inspection lateInspection);
    }

    private final ScheduledExecutorService watchdog;
    private final DecisionSink sink;
    private final long publishMarginNanos;
    private final long startedNanos = System.nanoTime();
    private final Set<Ticket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong publishFailures = new AtomicLong();

    /**
     * @param watchdog      the deadline threads (real-time where possible; more than one, so that one slow publish does
     *                      not hold up the next part's TIMEOUT)
     * @param publishMarginMs how long before the deadline the watchdog sends TIMEOUT
     */
    public VerdictGate(ScheduledExecutorService watchdog, DecisionSink sink, long publishMarginMs) {
        this.watchdog = watchdog;
        this.sink = sink;
        this.publishMarginNanos = TimeUnit.MILLISECONDS.toNanos(publishMarginMs);
    }

    /**
     * How long after start the margin is {@link #WARM_UP_FACTOR} times wider: a JVM that has just started still
     * compiles and deoptimises, and its global pauses can hold up even a real-time thread (measured: the first
     * TIMEOUTs of a fresh station came 20–60 ms late under load).
     */
    static final long WARM_UP_NANOS = 15_000_000_000L;
    static final int WARM_UP_FACTOR = 4;

    /** Opens a part's ticket and arms its watchdog at the deadline less the publish margin. */
    public Ticket open(Part part, String recipe, String model) {
        Ticket t = new Ticket(part, recipe, model);
        open.add(t);
        long now = System.nanoTime();
        if (now - startedNanos < WARM_UP_NANOS) {
            t.marginNanos = Math.min(WARM_UP_FACTOR * publishMarginNanos, (part.deadlineNanos() - part.triggeredNanos()) / 2);
        }
        if (now - (part.deadlineNanos() - t.marginNanos) > 0) {
            t.late = String.format(java.util.Locale.ROOT, "; announced %.0f ms after its trigger, %s",
                    (now - part.triggeredNanos()) / 1e6, ANNOUNCED_LATE);
        }
        t.arm(part.deadlineNanos() - t.marginNanos);
        return t;
    }

    /** Parts triggered and not yet published. */
    public int inFlight() {
        return open.size();
    }

    /** Verdicts whose first publish attempt threw (each then got the fail-safe reject). */
    public long publishFailures() {
        return publishFailures.get();
    }

    /** Rejects every open part with {@code code} (station stopping); returns how many. */
    public int rejectAll(ReasonCode code, String detail) {
        int n = 0;
        for (Ticket t : List.copyOf(open)) {
            if (t.reject(code, "station", detail)) {
                n++;
            } else if (t.state.get() == FAILED) {
                // its verdict could not be sent and the watchdog, which keeps retrying, is about to stop: one more try
                t.failSafe("verdict could not be sent; " + detail);
                n++;
            }
        }
        return n;
    }

    /** One part's claim on its single verdict. */
    public final class Ticket {
        private final Part part;
        private final String recipe;
        private final String model;
        private final AtomicInteger state = new AtomicInteger(OPEN);
        private volatile String stage = "triggered";
        private volatile String late = "";
        private volatile long marginNanos = publishMarginNanos;
        private volatile @Nullable ScheduledFuture<?> timer;
        /** Set once the winning verdict went to {@link DecisionSink#recorded} (its row is queued for the store). */
        private volatile boolean recordedDone;
        /** The pipeline's late result, held until the winning verdict is recorded: it updates that verdict's row. */
        private final java.util.concurrent.atomic.AtomicReference<@Nullable Inspection> pendingLate =
                new java.util.concurrent.atomic.AtomicReference<>();

        private Ticket(Part part, String recipe, String model) {
            this.part = part;
            this.recipe = recipe;
            this.model = model;
        }

        public Part part() {
            return part;
        }

        public String recipe() {
            return recipe;
        }

        public String model() {
            return model;
        }

        /** The nanoTime by which the part must be decided: its watchdog fires then. */
        public long decideByNanos() {
            return part.deadlineNanos() - marginNanos;
        }

        /** Where the part is now; named in a TIMEOUT reason. */
        public void stage(String stage) {
            this.stage = stage;
        }

        /** True once a verdict won (it may still be on its way out): no more work should be spent on the part. */
        public boolean isDecided() {
            return state.get() != OPEN;
        }

        /**
         * Delivers the pipeline's result. Returns true when this was the part's verdict; false when another had
         * already won (then the result is passed on as late).
         */
        public boolean decide(Inspection inspection, @Nullable Object evidence) {
            if (state.compareAndSet(OPEN, PUBLISHING)) {
                return deliver(inspection, evidence);
            }
            pendingLate.set(new Inspection(part, 0, recipe, model, Verdict.Reject.of(ReasonCode.TIMEOUT, "watchdog",
                    "late"), inspection.rules(), inspection.detections(), inspection.truth(), inspection.decidedAt(),
                    inspection.timings(), inspection.verdict()));
            // The TIMEOUT may still be on its way (the watchdog publishing it): its row must be queued before the
            // late result that updates it, or the update finds no row and the late result is lost. Whichever side
            // comes second passes it on, exactly once.
            if (recordedDone) {
                passOnLate();
            }
            return false;
        }

        private void passOnLate() {
            Inspection l = pendingLate.getAndSet(null);
            if (l != null) {
                sink.late(l);
            }
        }

        /** Rejects the part now for a reason found outside inspection (camera fault, queue full…). */
        public boolean reject(ReasonCode code, String source, String detail) {
            return state.compareAndSet(OPEN, PUBLISHING) && deliver(rejection(code, source, detail), null);
        }

        private Inspection rejection(ReasonCode code, String source, String detail) {
            long now = System.nanoTime();
            return new Inspection(part, 0, recipe, model, Verdict.Reject.of(code, source, detail), List.of(), List.of(),
                    List.of(), Instant.now(), new Timings(0, 0, 0, 0, now - part.triggeredNanos()), null);
        }

        /** Called with the state PUBLISHING held by this thread. */
        private boolean deliver(Inspection inspection, @Nullable Object evidence) {
            Inspection numbered;
            try {
                numbered = sink.publish(inspection);
            } catch (Throwable t) {
                publishFailures.incrementAndGet();
                log.atError().setMessage("verdict could not be published; sending the fail-safe reject")
                        .addKeyValue("partId", part.partId()).setCause(t).log();
                state.set(FAILED);
                failSafe("verdict could not be sent: " + t);
                return false;
            }
            published(numbered, evidence);
            return true;
        }

        private void published(Inspection numbered, @Nullable Object evidence) {
            state.set(PUBLISHED);
            cancelTimer();
            try {
                sink.recorded(numbered, evidence);
            } catch (Throwable t) {
                log.atError().setMessage("verdict sent, but recording it failed").addKeyValue("partId", part.partId())
                        .setCause(t).log();
            } finally {
                recordedDone = true;
                passOnLate();
                // only now is the part no longer in flight: its verdict is on its way and it is counted, spooled and
                // queued for the archive, so whoever waits for an idle station (close, a change-over) sees all of it
                open.remove(this);
            }
        }

        /** The minimal REJECT after a failed publish; on failure again the watchdog retries when it fires. */
        private void failSafe(String why) {
            if (!state.compareAndSet(FAILED, PUBLISHING)) {
                return;
            }
            try {
                published(sink.publish(rejection(ReasonCode.STATION_ERROR, "station", why)), null);
            } catch (Throwable t) {
                state.set(FAILED);
                log.atError().setMessage("fail-safe reject could not be published either").addKeyValue("partId", part.partId())
                        .addKeyValue("error", t.toString()).log();
            }
        }

        private void arm(long atNanos) {
            long delay = Math.max(0, atNanos - System.nanoTime());
            timer = watchdog.schedule(this::timeout, delay, TimeUnit.NANOSECONDS);
        }

        /** The watchdog's turn (its own thread). */
        private void timeout() {
            int s = state.get();
            if (s == OPEN && state.compareAndSet(OPEN, PUBLISHING)) {
                long deadlineMs = (part.deadlineNanos() - part.triggeredNanos()) / 1_000_000;
                deliver(rejection(ReasonCode.TIMEOUT, "watchdog", "no verdict within " + deadlineMs + " ms (part was "
                        + stage + late + ")"), null);
            } else if (s == FAILED) {
                failSafe("verdict could not be sent");
            } else if (s == PUBLISHING) {
                arm(System.nanoTime() + RECHECK_NANOS); // another thread is sending it: make sure it got out
                return;
            }
            if (state.get() == FAILED) {
                arm(System.nanoTime() + 10 * RECHECK_NANOS); // keep trying: the part must not go without a verdict
            }
        }

        private void cancelTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
