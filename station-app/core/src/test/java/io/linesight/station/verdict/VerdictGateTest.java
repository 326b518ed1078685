/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerdictGateTest {
    final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();

    /** A PLC link stand-in: records what was published and when; can be told to fail the next publishes. */
    static final class Sink implements VerdictGate.DecisionSink {
        final List<Inspection> published = new CopyOnWriteArrayList<>();
        final List<Long> publishedAtNanos = new CopyOnWriteArrayList<>();
        final List<Inspection> late = new CopyOnWriteArrayList<>();
        /** recorded and late, in the order the sink was told: a late result updates its recorded row. */
        final List<String> told = new CopyOnWriteArrayList<>();
        final AtomicInteger failNext = new AtomicInteger();
        volatile long slowPublishMs;
        final CountDownLatch recorded = new CountDownLatch(1);

        @Override
        public Inspection publish(Inspection inspection) {
            if (failNext.getAndDecrement() > 0) {
                throw new IllegalStateException("disk on fire");
            }
            if (slowPublishMs > 0) {
                try {
                    Thread.sleep(slowPublishMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            published.add(inspection);
            publishedAtNanos.add(System.nanoTime());
            return inspection.withSeq(published.size());
        }

        @Override
        public void recorded(Inspection numbered, @Nullable Object evidence) {
            told.add("recorded " + numbered.verdict().reasons().stream().map(r -> r.code().name()).findFirst()
                    .orElse("PASS"));
            recorded.countDown();
            throw new IllegalStateException("the store is down"); // must not matter to the PLC
        }

        @Override
        public void late(Inspection lateInspection) {
            told.add("late");
            late.add(lateInspection);
        }
    }

    static Inspection pass(Part p) {
        return new Inspection(p, 0, "r@1", "", new Verdict.Pass(java.util.Map.of()), List.of(), List.of(), List.of(), Instant.now(),
                new Timings(0, 0, 0, 0, 0), null);
    }

    @AfterEach
    void stop() {
        watchdog.shutdownNow();
    }

    @Test
    void aPublishThatThrows_givesThePartTheFailSafeReject_atOnce() throws Exception {
        Sink sink = new Sink();
        VerdictGate gate = new VerdictGate(watchdog, sink, 10);
        Part part = Part.triggeredNow("P1", 60_000);
        VerdictGate.Ticket t = gate.open(part, "r@1", "");
        sink.failNext.set(1);

        assertThat(t.decide(pass(part), null)).isFalse();

        assertThat(sink.published).singleElement().satisfies(i -> {
            assertThat(i.verdict().passed()).isFalse();
            assertThat(i.verdict().primaryCode()).isEqualTo(ReasonCode.STATION_ERROR);
            assertThat(i.verdict().reasons().getFirst().detail()).contains("disk on fire");
        });
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.publishFailures()).isEqualTo(1);
    }

    @Test
    void aPartWhoseVerdictCouldNotBeSent_getsOneMoreTryWhenTheStationStops() throws Exception {
        // the watchdog retries a part whose verdict failed; at shutdown it stops, so rejectAll must try for it
        Sink sink = new Sink();
        VerdictGate gate = new VerdictGate(watchdog, sink, 10);
        Part part = Part.triggeredNow("P1", 60_000);
        VerdictGate.Ticket t = gate.open(part, "r@1", "");
        sink.failNext.set(2); // the verdict and its fail-safe
        t.decide(pass(part), null);
        assertThat(sink.published).isEmpty();

        assertThat(gate.rejectAll(ReasonCode.STATION_STOPPED, "station stopping")).isEqualTo(1);
        assertThat(sink.published).singleElement().satisfies(i -> {
            assertThat(i.verdict().primaryCode()).isEqualTo(ReasonCode.STATION_ERROR);
            assertThat(i.verdict().reasons().getFirst().detail()).contains("station stopping");
        });
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void whenEvenTheFailSafeCannotBePublished_theWatchdogKeepsTrying_untilTheVerdictIsOut() throws Exception {
        Sink sink = new Sink();
        VerdictGate gate = new VerdictGate(watchdog, sink, 10);
        Part part = Part.triggeredNow("P1", 200);
        VerdictGate.Ticket t = gate.open(part, "r@1", "");
        sink.failNext.set(5);

        t.decide(pass(part), null);
        assertThat(sink.published).isEmpty();
        assertThat(gate.inFlight()).as("still armed: no verdict is out").isEqualTo(1);

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the ticket leaves "in flight" just after its publish returned: wait for both, not for the first
        while ((sink.published.isEmpty() || gate.inFlight() > 0) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(sink.published).singleElement().satisfies(i -> assertThat(i.verdict().passed()).isFalse());
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void theWatchdogRejectsTimeout_theMarginBeforeTheDeadline() throws Exception {
        Sink sink = new Sink();
        VerdictGate gate = new VerdictGate(watchdog, sink, 150);
        Part part = Part.triggeredNow("P1", 400);
        gate.open(part, "r@1", "");

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.published.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(sink.published).singleElement().satisfies(i -> {
            assertThat(i.verdict().primaryCode()).isEqualTo(ReasonCode.TIMEOUT);
            assertThat(i.decidedAt()).isBefore(part.deadlineAt());
        });
        assertThat(sink.publishedAtNanos.getFirst()).as("out before the deadline").isLessThan(part.deadlineNanos());
    }

    @Test
    void aVerdictBeingPublished_whenTheWatchdogFires_isTheOnlyVerdict() throws Exception {
        Sink sink = new Sink();
        sink.slowPublishMs = 300; // publishing straddles the watchdog's time
        VerdictGate gate = new VerdictGate(watchdog, sink, 0);
        Part part = Part.triggeredNow("P1", 100);
        VerdictGate.Ticket t = gate.open(part, "r@1", "");

        assertThat(t.decide(pass(part), null)).isTrue();
        Thread.sleep(200);

        assertThat(sink.published).singleElement().satisfies(i -> assertThat(i.verdict().passed()).isTrue());
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void aRecorderThatThrows_doesNotUndoTheVerdict() throws Exception {
        Sink sink = new Sink();
        VerdictGate gate = new VerdictGate(watchdog, sink, 10);
        Part part = Part.triggeredNow("P1", 60_000);

        assertThat(gate.open(part, "r@1", "").decide(pass(part), null)).isTrue();
        assertThat(sink.recorded.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.published).hasSize(1);
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.publishFailures()).isZero();
    }

    @Test
    void aResultAfterTheTimeout_isLate_neverASecondVerdict() throws Exception {
        Sink sink = new Sink();
        VerdictGate gate = new VerdictGate(watchdog, sink, 0);
        Part part = Part.triggeredNow("P1", 20);
        VerdictGate.Ticket t = gate.open(part, "r@1", "");
        while (sink.published.isEmpty()) {
            Thread.sleep(5);
        }

        assertThat(t.isDecided()).isTrue();
        assertThat(t.decide(pass(part), null)).isFalse();
        assertThat(sink.published).hasSize(1);
        for (int i = 0; i < 200 && sink.late.isEmpty(); i++) {
            Thread.sleep(5);
        }
        assertThat(sink.late).hasSize(1);
    }

    @Test
    void aResultArrivingWhileItsTimeoutIsStillBeingSent_isPassedOnAfterTheTimeoutIsRecorded() throws Exception {
        // the late result updates the TIMEOUT's row in the store: passed on before that row, it would find none
        Sink sink = new Sink();
        sink.slowPublishMs = 300; // the TIMEOUT is on its way for a while
        VerdictGate gate = new VerdictGate(watchdog, sink, 0);
        Part part = Part.triggeredNow("P1", 20);
        VerdictGate.Ticket t = gate.open(part, "r@1", "");
        while (!t.isDecided()) {
            Thread.sleep(2);
        }
        assertThat(t.decide(pass(part), null)).as("the pipeline's result, while TIMEOUT is being published").isFalse();
        for (int i = 0; i < 400 && sink.told.size() < 2; i++) {
            Thread.sleep(5);
        }
        assertThat(sink.told).containsExactly("recorded TIMEOUT", "late");
        assertThat(sink.published).singleElement().satisfies(i -> assertThat(i.verdict().passed()).isFalse());
    }
}
