/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.bench;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.inference.api.InferenceException;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.Station;
import io.linesight.station.stats.StationStats;
import io.linesight.station.timing.StageTimes;
import io.linesight.station.trigger.TimerTrigger;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * {@code station bench}: the recipe's model alone, then the station at fixed rates. The capacity search doubles the
 * rate from {@code startRateHz} while a step of {@code partsPerStep} parts is clean (every part decided, no TIMEOUT or
 * QUEUE_FULL, at most {@link #SHED_TOLERANCE} of the parts shed with OVERLOAD), then bisects between the last clean and the first unclean rate to within 10 %, as long as
 * the time budget leaves room for the rest. Then one step each at 1.5× and 2× the capacity (load shedding at work) and
 * a reference step at half the capacity, from which the stage breakdown and the PLC latency are taken.
 */
public final class BenchRun {
    /**
     * The share of a step's parts that may be shed (OVERLOAD) in a clean step. Admission turns a momentary backlog (a
     * collection, another process taking the cores) into an immediate OVERLOAD of a part or two; that says nothing
     * about the rate the station keeps, and a search that stopped there would measure the machine's worst second.
     */
    static final double SHED_TOLERANCE = 0.01;

    /** Bisection stops when the unclean rate is within this factor of the clean one. */
    static final double PRECISION = 1.10;
    static final double MAX_RATE_HZ = 2000;

    /**
     * What to run. {@code maxSeconds} bounds the capacity search; the last three steps always run. A step triggers at
     * least {@code partsPerStep} parts and for at least {@code minStepSeconds}: a burst shorter than a few deadlines
     * is absorbed by the queues and says nothing about the rate the station keeps.
     */
    public record Settings(int partsPerStep, int maxSeconds, double startRateHz, double modelSeconds,
                           double minStepSeconds) {
        public Settings {
            if (!(minStepSeconds >= 0)) {
                throw new IllegalArgumentException("--min-step-time " + minStepSeconds + " must be 0 or more");
            }
            if (partsPerStep < 10) {
                throw new IllegalArgumentException("--parts-per-step " + partsPerStep + " must be at least 10");
            }
            if (maxSeconds < 10) {
                throw new IllegalArgumentException("--max-time " + maxSeconds + " must be at least 10 s");
            }
            if (!(startRateHz > 0 && startRateHz <= MAX_RATE_HZ)) {
                throw new IllegalArgumentException("--start-rate " + startRateHz + " must be in (0, " + MAX_RATE_HZ + "]");
            }
            if (!(modelSeconds > 0)) {
                throw new IllegalArgumentException("--model-time " + modelSeconds + " must be positive");
            }
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final List<BenchReport.Step> steps = new ArrayList<>();
    private final AtomicLong refused = new AtomicLong();
    private long startNanos;

    public BenchRun(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public BenchReport run(LoadedStation loaded, Recipe recipe, @Nullable String broker, Path dataDir)
            throws IOException, InterruptedException {
        startNanos = System.nanoTime();
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        int cores = Runtime.getRuntime().availableProcessors();
        double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf(Locale.ROOT, "bench: the model alone (%.0f s on 1 thread, then on the inspection workers)%n",
                settings.modelSeconds());
        BareModel.Result bare;
        try {
            bare = BareModel.measure(recipe, loaded.recipeDir(), loaded.config(), Math.round(settings.modelSeconds() * 1000));
        } catch (InferenceException e) {
            throw new IOException("bench: model: " + e.getMessage(), e);
        }
        double capacity;
        List<BenchReport.Step> overload = new ArrayList<>();
        BenchReport.Step reference = null;
        Map<String, BenchReport.Stage> stages = new LinkedHashMap<>();
        BenchReport.Latency latency = null;
        String brokerUrl;
        try (Station station = Station.start(loaded, recipe, broker, dataDir);
             PlcProbe plc = PlcProbe.connect(station)) {
            brokerUrl = station.brokerUrl();
            step(station, plc, "warm-up", settings.startRateHz() / 2, Math.min(settings.partsPerStep(), 50));
            capacity = searchCapacity(station, plc);
            if (capacity <= 0) {
                out.println("bench: no rate tried was clean (every part decided, no TIMEOUT or QUEUE_FULL, at most 1 % OVERLOAD): "
                        + "no capacity, so no overload and reference steps; try a lower --start-rate or a longer --max-time");
            } else {
                overload.add(step(station, plc, "1.5x capacity", 1.5 * capacity, partsAt(1.5 * capacity)));
                overload.add(step(station, plc, "2x capacity", 2 * capacity, partsAt(2 * capacity)));
                station.stats().stages().reset();
                reference = step(station, plc, "reference (0.5x)", capacity / 2, partsAt(capacity / 2));
                stages = stages(station.stats().stages().snapshot(), reference.inspected());
                Histogram h = plc.latencies();
                latency = new BenchReport.Latency(h.getTotalCount(), h.getValueAtPercentile(50) / 1e6,
                        h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
            }
        }
        double stageSum = round(stages.values().stream().mapToDouble(BenchReport.Stage::cpuMsPerPart).sum());
        double bound = stageSum > 0 ? round(cores * 1000.0 / stageSum) : 0;
        BenchReport.Ratios ratios = new BenchReport.Ratios(
                bare == null || bare.partsPerS() <= 0 ? 0 : capacity / bare.partsPerS(),
                bound > 0 ? capacity / bound : 0,
                overload.isEmpty() || capacity <= 0 ? 0 : overload.get(0).goodputHz() / capacity,
                overload.size() < 2 || capacity <= 0 ? 0 : overload.get(1).goodputHz() / capacity,
                overload.stream().mapToDouble(BenchReport.Step::shedMaxMs).max().orElse(0) / loaded.config().deadlineMs());
        return new BenchReport(startedAt, new BenchReport.Machine(cores, loadStart,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version().toString()),
                new BenchReport.Settings(loaded.config().line() + "/" + loaded.config().station(), recipe.label(), brokerUrl,
                        settings.partsPerStep(), settings.minStepSeconds(), settings.maxSeconds(), settings.startRateHz(),
                        loaded.config().pipeline().inspectionWorkers(), loaded.config().deadlineMs()),
                bare, List.copyOf(steps), capacity, overload, reference, stages, stageSum, bound, latency, ratios,
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** The highest clean rate found, 0 when not even the lowest tried was clean. */
    private double searchCapacity(Station station, PlcProbe plc) throws InterruptedException {
        double clean = 0;
        double unclean = Double.POSITIVE_INFINITY;
        double rate = settings.startRateHz();
        boolean first = true; // the search always tries its first rate, whatever the budget says
        while (unclean == Double.POSITIVE_INFINITY && rate <= MAX_RATE_HZ && (first || timeFor(rate))) {
            first = false;
            if (step(station, plc, "search", rate, partsAt(rate)).clean()) {
                clean = rate;
                rate *= 2;
            } else {
                unclean = rate;
            }
        }
        rate = settings.startRateHz() / 2;
        while (clean == 0 && rate >= 0.5 && timeFor(rate)) {
            if (step(station, plc, "search", rate, partsAt(rate)).clean()) {
                clean = rate;
            } else {
                unclean = rate;
                rate /= 2;
            }
        }
        while (clean > 0 && unclean < Double.POSITIVE_INFINITY && unclean > clean * PRECISION) {
            double mid = (clean + unclean) / 2;
            if (!timeFor(mid)) {
                break;
            }
            if (step(station, plc, "search", mid, partsAt(mid)).clean()) {
                clean = mid;
            } else {
                unclean = mid;
            }
        }
        return clean;
    }

    /** Parts of a step at {@code rate}: at least {@code partsPerStep}, and enough for {@code minStepSeconds}. */
    private int partsAt(double rate) {
        return (int) Math.max(settings.partsPerStep(), Math.ceil(rate * settings.minStepSeconds()));
    }

    /**
     * Whether a search step at {@code rate} still fits the budget, leaving room for the three final steps (at 1.5×,
     * 2× and 0.5× of a capacity near it).
     */
    private boolean timeFor(double rate) {
        double finals = partsAt(1.5 * rate) / (1.5 * rate) + partsAt(2 * rate) / (2 * rate)
                + partsAt(0.5 * rate) / (0.5 * rate) + 3;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return elapsed + partsAt(rate) / rate + 2 + finals <= settings.maxSeconds();
    }

    /** One step: {@code parts} parts triggered at {@code rate}, then waits until every one is decided. */
    private BenchReport.Step step(Station station, PlcProbe plc, String phase, double rate, int parts)
            throws InterruptedException {
        station.awaitIdle(10_000);
        for (long until = System.nanoTime() + 5_000_000_000L; station.storePending() > 0 && System.nanoTime() < until; ) {
            Thread.sleep(20); // the results of the step before are written: their cost is not this step's
        }
        station.stats().reset();
        plc.clear();
        refused.set(0);
        long shedLateBefore = station.shedAfterTrigger();
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        // the timer's ids repeat when two steps start within the same second: the step number keeps them distinct
        String prefix = "B" + (steps.size() + 1) + "-";
        try (TimerTrigger timer = new TimerTrigger(rate, parts, timerId -> {
            String id = prefix + timerId;
            plc.triggering(id);
            if (station.trigger(id) != null) {
                refused.incrementAndGet();
            }
        })) {
            timer.awaitDone();
        }
        long deadlineMs = station.config().deadlineMs();
        station.awaitIdle(deadlineMs + 5_000);
        // a verdict leaves the in-flight count as it is published, and is counted just after: wait for the count too,
        // or the step's last parts would be counted in the next step
        long tickets = parts - refused.get();
        StationStats.Snapshot s = station.stats().snapshot();
        for (long until = System.nanoTime() + 5_000_000_000L; s.parts() < tickets && System.nanoTime() < until; ) {
            Thread.sleep(5);
            s = station.stats().snapshot();
        }
        for (long until = System.nanoTime() + 2_000_000_000L; plc.arrivedCount() < s.parts() && System.nanoTime() < until; ) {
            Thread.sleep(10); // the last verdicts on their way through the broker
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuMsPerPart = (processCpuNanos() - cpuStart) / 1e6 / parts;
        Map<ReasonCode, Long> by = s.rejectsByReason();
        long overload = by.getOrDefault(ReasonCode.OVERLOAD, 0L);
        long queueFull = by.getOrDefault(ReasonCode.QUEUE_FULL, 0L);
        long timeouts = s.timeouts();
        long inspected = s.imaged();
        long other = s.rejected() - timeouts - overload - queueFull; // on merit, or not imaged for another reason
        long notImagedOther = Math.max(0, s.parts() - inspected - overload - queueFull - timeouts);
        boolean clean = s.parts() == parts && refused.get() == 0 && timeouts == 0 && overload <= SHED_TOLERANCE * parts
                && queueFull == 0
                && s.late() == 0;
        double shedMax = station.stats().maxMs(ReasonCode.OVERLOAD);
        BenchReport.Step step = new BenchReport.Step(phase, round(rate), parts, refused.get(), s.parts(), s.passed(),
                s.rejected(), inspected, timeouts, overload, queueFull, other, round(rate * inspected / parts),
                round(s.p50Ms()), round(s.p99Ms()), round(shedMax),
                // the histogram keeps 3 digits: its p99 may land just above the exact maximum
                round(Math.min(shedMax, station.stats().shedPercentileMs(99))), station.shedAfterTrigger() - shedLateBefore,
                round(cpuMsPerPart),
                clean, round(wall));
        steps.add(step);
        out.printf(Locale.ROOT, "bench: %-16s %7.1f/s  %d parts: inspected %d, timeouts %d, overload %d, queue full %d, "
                + "not imaged otherwise %d, refused %d, goodput %.1f/s, p99 %.1f ms, shed p99 %.1f ms (%d after the trigger)"
                + "%s%n", phase, rate, parts, inspected, timeouts, overload, queueFull, notImagedOther, refused.get(),
                step.goodputHz(), s.p99Ms(), step.shedP99Ms(), step.shedAfterTrigger(), clean ? "  clean" : "");
        return step;
    }

    private static Map<String, BenchReport.Stage> stages(Map<StageTimes.Stage, StageTimes.Totals> totals, long parts) {
        Map<String, BenchReport.Stage> out = new LinkedHashMap<>();
        totals.forEach((stage, t) -> out.put(stage.name().toLowerCase(Locale.ROOT), new BenchReport.Stage(t.count(),
                round(t.meanMs()), parts == 0 ? 0 : round(t.nanos() / 1e6 / parts),
                parts == 0 ? 0 : round(t.cpuNanos() / 1e6 / parts))));
        return out;
    }

    /** CPU time of the whole process so far, every thread (0 where the JVM cannot tell). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
