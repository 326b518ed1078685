/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.verdict;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.inspect.Inspection;
import io.linesight.station.inspect.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure every part gets exactly one verdict, on time (invariant 1). Each triggered part gets a {@link Ticket};
 * the first of "the pipeline decided" and "the deadline passed" wins; the loser is recorded as late, never sent.
 *
 * <p>Thread-safe. {@link DecisionSink#decided} runs on the winning thread: an inspection worker, the acquisition
 * thread (for parts rejected before inspection) or the watchdog thread.
 */
public final class VerdictGate {

    /** Receives decisions. Implementations must be quick: the PLC publish comes first and must not wait. */
    public interface DecisionSink {
        /**
         * The one verdict of a part. {@code evidence} carries the part's frames when the pipeline decided (null for
         * timeouts); it is lent for the call only.
         */
        void decided(Inspection inspection, @Nullable Object evidence);

        /** The pipeline finished a part after the watchdog had already rejected it. */
        void late(Inspection lateInspection);
    }

    private final ScheduledExecutorService watchdog;
    private final DecisionSink sink;
    private final Set<Ticket> open = ConcurrentHashMap.newKeySet();

    public VerdictGate(ScheduledExecutorService watchdog, DecisionSink sink) {
        this.watchdog = watchdog;
        this.sink = sink;
    }

    /** Opens a part's ticket and arms its deadline. */
    public Ticket open(Part part, String recipe, String model) {
        Ticket t = new Ticket(part, recipe, model);
        open.add(t);
        long delay = Math.max(0, part.deadlineNanos() - System.nanoTime());
        t.timer = watchdog.schedule(t::timeout, delay, TimeUnit.NANOSECONDS);
        return t;
    }

    /** Parts triggered and not yet decided. */
    public int inFlight() {
        return open.size();
    }

    /** Rejects every open part with {@code code} (station stopping); returns how many. */
    public int rejectAll(ReasonCode code, String detail) {
        int n = 0;
        for (Ticket t : List.copyOf(open)) {
            if (t.reject(code, "station", detail)) {
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
        private final AtomicBoolean decided = new AtomicBoolean();
        private volatile String stage = "triggered";
        private volatile @Nullable ScheduledFuture<?> timer;

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

        /** Where the part is now; named in a TIMEOUT reason. */
        public void stage(String stage) {
            this.stage = stage;
        }

        public boolean isDecided() {
            return decided.get();
        }

        /**
         * Delivers the pipeline's result. Returns true when this was the part's verdict; false when the watchdog had
         * already sent TIMEOUT (then the result is passed on as late).
         */
        public boolean decide(Inspection inspection, @Nullable Object evidence) {
            if (decided.compareAndSet(false, true)) {
                cancelTimer();
                try {
                    sink.decided(inspection, evidence);
                } finally {
                    open.remove(this); // only now is the part no longer in flight: its verdict is on its way
                }
                return true;
            }
            sink.late(new Inspection(part, 0, recipe, model, Verdict.Reject.of(ReasonCode.TIMEOUT, "watchdog", "late"),
                    inspection.rules(), inspection.detections(), inspection.truth(), inspection.decidedAt(), inspection.timings(),
                    inspection.verdict()));
            return false;
        }

        /** Rejects the part now for a reason found outside inspection (camera fault, queue full…). */
        public boolean reject(ReasonCode code, String source, String detail) {
            if (!decided.compareAndSet(false, true)) {
                return false;
            }
            cancelTimer();
            long now = System.nanoTime();
            try {
                sink.decided(new Inspection(part, 0, recipe, model, Verdict.Reject.of(code, source, detail), List.of(), List.of(),
                        List.of(), Instant.now(), new Timings(0, 0, 0, 0, now - part.triggeredNanos()), null), null);
            } finally {
                open.remove(this);
            }
            return true;
        }

        private void timeout() {
            long deadlineMs = (part.deadlineNanos() - part.triggeredNanos()) / 1_000_000;
            reject(ReasonCode.TIMEOUT, "watchdog", "no verdict within " + deadlineMs + " ms (part was " + stage + ")");
        }

        private void cancelTimer() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
