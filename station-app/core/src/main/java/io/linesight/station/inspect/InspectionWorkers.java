/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.camera.api.TruthBox;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.Detector;
import io.linesight.inference.api.InferenceException;
import io.linesight.rules.FixtureRunner;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.admission.LoadShedder;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.station.inspect.anomaly.AnomalyModels;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.timing.StageTimes;
import io.linesight.station.verdict.VerdictGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inspection lanes: each worker thread takes an imaged part, runs its rules (on the rules pool) and its model (on the
 * worker, with the worker's own session) at the same time, asks the judge, and hands the result to the part's
 * ticket. Any exception becomes a reject with its reason; the worker goes on with the next part.
 */
public final class InspectionWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InspectionWorkers.class);

    /** An imaged part with its ticket and the recipe it runs under; the job owns one reference to the recipe. */
    public record Job(VerdictGate.Ticket ticket, AcquiredPart part, ActiveRecipe recipe, long queuedNanos) {
    }

    private final BlockingQueue<Job> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService rulesPool;
    /** Anomaly models of a part run here, beside its rules and its detector. */
    private final ExecutorService anomalyPool;
    private final LoadShedder shedder;
    private final StageTimes stages;
    private volatile boolean running = true;
    /** Workers inspecting a part now. */
    private final AtomicInteger busy = new AtomicInteger();
    /** When each worker last came round its loop (System.nanoTime): the service watchdog's sign of life. */
    private final java.util.concurrent.atomic.AtomicLongArray beats;

    /**
     * @param shedder sheds parts that could not be decided in time (OVERLOAD) before any work is spent
     * @param stages  where the judge's time per part is counted (the station's stage timings)
     */
    public InspectionWorkers(int workers, int capacity, LoadShedder shedder, StageTimes stages) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.shedder = shedder;
        this.stages = stages;
        this.beats = new java.util.concurrent.atomic.AtomicLongArray(workers);
        long now = System.nanoTime();
        for (int i = 0; i < workers; i++) {
            beats.set(i, now); // a worker that never got to its loop is stuck from its start
        }
        this.rulesPool = pool(workers, "rules-");
        this.anomalyPool = pool(workers, "anomaly-");
        for (int i = 0; i < workers; i++) {
            int index = i;
            Thread t = Thread.ofPlatform().name("inspect-" + i).daemon(true).unstarted(() -> loop(index));
            t.setUncaughtExceptionHandler((th, e) -> log.atError().setMessage("inspection worker died").setCause(e).log());
            threads.add(t);
            t.start();
        }
    }

    /** {@code workers} named daemon threads whose uncaught errors are logged. */
    private static ExecutorService pool(int workers, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> log.atError().setMessage(prefix + "thread error").setCause(e).log());
            return t;
        });
    }

    /** Queues an imaged part; never blocks. A full queue rejects the part (QUEUE_FULL) and frees its frames. */
    public void submit(Job job) {
        String shed = running ? shedder.beforeInspection(System.nanoTime(), job.ticket().decideByNanos(), queue.size()) : null;
        if (shed != null) {
            job.part().close();
            job.ticket().reject(ReasonCode.OVERLOAD, "inspection", shed);
            job.recipe().release();
            return;
        }
        if (!running || !queue.offer(job)) {
            job.part().close();
            job.ticket().reject(running ? ReasonCode.QUEUE_FULL : ReasonCode.STATION_STOPPED, "inspection",
                    running ? "inspection queue full" : "station stopping");
            job.recipe().release();
        }
    }

    public int queued() {
        return queue.size();
    }

    /** Parts waiting for a worker or being inspected now. */
    public int pending() {
        return queue.size() + busy.get();
    }

    /**
     * Why the workers are not alive and moving, or null when they are: a worker thread that ended while the station
     * runs, or one that has not come round its loop for {@code stallNanos} (stuck in one part). Any thread.
     */
    public @Nullable String stalled(long nowNanos, long stallNanos) {
        if (!running) {
            return null;
        }
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            if (!t.isAlive()) {
                return t.getName() + " has ended";
            }
            long beat = beats.get(i);
            if (nowNanos - beat > stallNanos) {
                return t.getName() + " stuck in one part for " + TimeUnit.NANOSECONDS.toSeconds(nowNanos - beat) + " s";
            }
        }
        return null;
    }

    private void loop(int worker) {
        while (running) {
            beats.set(worker, System.nanoTime()); // no allocation: this runs every poll of every worker
            Job job;
            try {
                job = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (job == null) {
                continue;
            }
            try (AcquiredPart part = job.part()) {
                if (job.ticket().isDecided()) {
                    continue; // already answered for (TIMEOUT, stop): no work on it
                }
                String shed = shedder.beforeInspection(System.nanoTime(), job.ticket().decideByNanos(), 0);
                if (shed != null) {
                    job.ticket().reject(ReasonCode.OVERLOAD, "inspection", shed);
                    continue;
                }
                long start = System.nanoTime();
                busy.incrementAndGet();
                boolean allBusy = false;
                try {
                    inspect(worker, job, part);
                } finally {
                    allBusy = busy.getAndDecrement() >= threads.size();
                }
                long end = System.nanoTime();
                shedder.inspected(end - start, end, allBusy || !queue.isEmpty());
            } catch (RuntimeException e) {
                log.atError().setMessage("inspection failed").addKeyValue("partId", job.part().part().partId()).setCause(e).log();
                job.ticket().reject(ReasonCode.RULE_ERROR, "inspection", e.toString());
            } catch (Throwable t) {
                // an Error (out of memory, a native crash turned into an exception…): the part still gets its reject
                log.atError().setMessage("inspection failed").addKeyValue("partId", job.part().part().partId()).setCause(t).log();
                job.ticket().reject(ReasonCode.STATION_ERROR, "inspection", t.toString());
            } finally {
                job.recipe().release(); // the part is done with its recipe: the last one closes a replaced recipe
            }
        }
    }

    private void inspect(int worker, Job job, AcquiredPart part) {
        VerdictGate.Ticket ticket = job.ticket();
        ticket.stage("inspecting");
        long start = System.nanoTime();
        long queueNanos = start - job.queuedNanos();
        ActiveRecipe active = job.recipe();
        Future<List<RuleResult>> rulesFuture = rulesPool.submit(() -> stages.time(StageTimes.Stage.RULES,
                () -> runRules(active, part)));
        Future<TimedAnomalies> anomalyFuture = active.anomalies().isEmpty() ? null
                : anomalyPool.submit(() -> {
                    long t0 = System.nanoTime();
                    AnomalyModels.Outcome o = stages.time(StageTimes.Stage.ANOMALY, () -> active.anomalies().run(worker, part));
                    return new TimedAnomalies(o, System.nanoTime() - t0);
                });
        List<ShotDetections> detections = new ArrayList<>();
        List<Reason> inferenceErrors = new ArrayList<>();
        long modelStart = System.nanoTime();
        long modelCpu = StageTimes.threadCpuNanos();
        Detector detector = active.detector(worker);
        ModelSpec model = active.recipe().model();
        if (detector != null && model != null) {
            for (ShotFrame sf : part.shots()) {
                if (!model.runsOn(sf.shot())) {
                    continue;
                }
                try {
                    List<Detection> found = detector.detect(sf.frame());
                    detections.add(new ShotDetections(sf.shot(), found));
                } catch (InferenceException | RuntimeException e) {
                    inferenceErrors.add(new Reason(ReasonCode.INFERENCE_ERROR, sf.shot(), String.valueOf(e.getMessage())));
                }
            }
        }
        long modelNanos = System.nanoTime() - modelStart;
        if (detector != null && model != null) {
            stages.add(StageTimes.Stage.MODEL, modelNanos, StageTimes.threadCpuNanos() - modelCpu);
        }
        // waited for before the rules: an interrupt here leaves the flag set, so the rules' wait below answers it
        TimedAnomalies timed = anomalyFuture == null ? TimedAnomalies.NONE : await(anomalyFuture);
        AnomalyModels.Outcome anomalies = timed.outcome();
        inferenceErrors.addAll(anomalies.errors());
        List<RuleResult> rules;
        try {
            rules = rulesFuture.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticket.reject(ReasonCode.STATION_STOPPED, "inspection", "interrupted");
            return;
        } catch (ExecutionException e) {
            rules = List.of(RuleResult.error("rules", "", String.valueOf(e.getCause()), 0));
        }
        long rulesNanos = rules.stream().mapToLong(RuleResult::nanos).sum();
        List<RuleResult> judged = rules;
        List<ShotAnomaly> scored = anomalies.found();
        Verdict verdict = stages.time(StageTimes.Stage.JUDGE, () -> active.judge().decide(judged, detections, scored));
        if (!inferenceErrors.isEmpty()) {
            List<Reason> all = new ArrayList<>(inferenceErrors);
            all.addAll(verdict.reasons());
            verdict = new Verdict.Reject(all);
        }
        long now = System.nanoTime();
        Timings timings = new Timings(part.acquireNanos(), queueNanos, rulesNanos, modelNanos, now - part.part().triggeredNanos(),
                timed.nanos());
        // every shot of a part sees the same defects: keep each known defect once
        java.util.Set<TruthBox> truth = new java.util.LinkedHashSet<>();
        for (ShotFrame sf : part.shots()) {
            truth.addAll(sf.frame().truth());
        }
        Inspection inspection = new Inspection(part.part(), 0, ticket.recipe(), ticket.model(), verdict, rules, detections,
                List.copyOf(truth), Instant.now(), timings, null, imagedPart(part), scored);
        ticket.decide(inspection, part);
    }

    /** The anomaly models' outcome and how long they took, wall time on their thread. */
    private record TimedAnomalies(AnomalyModels.Outcome outcome, long nanos) {
        static final TimedAnomalies NONE = new TimedAnomalies(AnomalyModels.Outcome.NONE, 0);
    }

    /** The anomaly models' outcome; a failure or an interrupt becomes an error reason (the part is rejected). */
    private static TimedAnomalies await(Future<TimedAnomalies> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TimedAnomalies(new AnomalyModels.Outcome(List.of(),
                    List.of(new Reason(ReasonCode.STATION_STOPPED, "anomaly", "interrupted"))), 0);
        } catch (ExecutionException e) {
            return new TimedAnomalies(new AnomalyModels.Outcome(List.of(), List.of(new Reason(ReasonCode.INFERENCE_ERROR,
                    "anomaly", String.valueOf(e.getCause())))), 0);
        }
    }

    /**
     * The part the images really show, when the camera knows (simulators): the first frame whose true part differs
     * from the tracked one, else the tracked part; null when no frame knows.
     */
    private static @org.jspecify.annotations.Nullable String imagedPart(AcquiredPart part) {
        String seen = null;
        for (ShotFrame sf : part.shots()) {
            String truth = sf.frame().truthPartId();
            if (truth != null && !truth.equals(part.part().partId())) {
                return truth;
            }
            seen = truth != null ? truth : seen;
        }
        return seen;
    }

    /** Fixture rules first (they locate the part), then every other rule with the fixture's offset. */
    private static List<RuleResult> runRules(ActiveRecipe active, AcquiredPart part) {
        return FixtureRunner.evaluate(active.rules(), shot -> {
            ShotFrame sf = part.shot(shot);
            return sf == null ? null : sf.frame();
        }, active::baseContext);
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Job j;
        while ((j = queue.poll()) != null) {
            j.part().close();
            j.ticket().reject(ReasonCode.STATION_STOPPED, "inspection", "station stopping");
            j.recipe().release();
        }
        rulesPool.shutdownNow();
        anomalyPool.shutdownNow();
    }
}
