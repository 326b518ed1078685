/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one {@code station bench} run measured; written as JSON as it is, and printed as a table.
 *
 * @param startedAt    UTC start of the run
 * @param machine      cores and load average at the start and the end
 * @param settings     what the run was asked to do
 * @param bareModel    the recipe's model alone, or null for a rules-only recipe
 * @param steps        every fixed-rate step in the order run (warm-up, search, overload, reference)
 * @param capacityHz   the highest rate that decided every part of its step with no TIMEOUT or QUEUE_FULL and at most
 *                     1 % OVERLOAD
 * @param overload     the steps at 1.5× and 2× the capacity
 * @param reference    the step at half the capacity: the stage breakdown and the PLC latency come from it
 * @param stages       stage breakdown of the reference step
 * @param stageSumMsPerPart the stages' CPU time per part, summed (rules and model run side by side, both count)
 * @param stageSumBoundHz   the rate the cores allow at that cost: {@code cores × 1000 ÷ stageSumMsPerPart}
 * @param plcLatency   trigger → verdict at a subscriber of the station's broker, reference step
 * @param ratios       the figures the goals are stated in
 */
public record BenchReport(String startedAt, Machine machine, Settings settings, BareModel.@Nullable Result bareModel,
                   List<Step> steps, double capacityHz, List<Step> overload, @Nullable Step reference,
                   Map<String, Stage> stages, double stageSumMsPerPart, double stageSumBoundHz,
                   @Nullable Latency plcLatency, Ratios ratios, double wallS) {

    public record Machine(int cores, double loadAverageStart, double loadAverageEnd, String java) {
    }

    public record Settings(String station, String recipe, String broker, int partsPerStep, double minStepSeconds,
                    int maxSeconds, double startRateHz, int inspectionWorkers, long deadlineMs) {
    }

    /**
     * One step at a fixed rate.
     *
     * @param inspected parts decided by inspection (rules and model ran), pass or reject
     * @param goodputHz inspected parts a second of the step's trigger span: {@code offeredHz × inspected / triggered}
     * @param shedMaxMs the longest trigger → verdict of an OVERLOAD reject (0 when none): an immediate reject stays small
     * @param shedP99Ms the 99th percentile of trigger → verdict of the OVERLOAD rejects (0 when none)
     * @param shedAfterTrigger OVERLOAD rejects of parts taken at their trigger and shed later by the safety net (before
     *                  acquisition or inspection); the rest were not taken at their trigger
     * @param cpuMsPerPart the whole process's CPU time during the step (broker, PLC probe, GC and JIT included) per
     *                  part triggered
     */
    public record Step(String phase, double offeredHz, long triggered, long refused, long decided, long passed, long rejected,
                long inspected, long timeouts, long overload, long queueFull, long otherRejects, double goodputHz,
                double p50Ms, double p99Ms, double shedMaxMs, double shedP99Ms, long shedAfterTrigger, double cpuMsPerPart,
                boolean clean, double wallS) {
    }

    /**
     * One stage: how often it ran, its mean wall time per run, and per inspected part its wall time and the CPU time
     * of the thread that ran it (without the waits for a core, the disk or another thread).
     */
    public record Stage(long runs, double meanMs, double wallMsPerPart, double cpuMsPerPart) {
    }

    public record Latency(long samples, double p50Ms, double p99Ms, double maxMs) {
    }

    /**
     * @param capacityOverBareModel    capacity ÷ the parts a second the model alone allows (0 without a model)
     * @param capacityOverStageSum     capacity ÷ (cores ÷ the stage sum per part)
     * @param goodputAt15xOverCapacity goodput at 1.5× capacity ÷ capacity
     * @param goodputAt2xOverCapacity  goodput at 2× capacity ÷ capacity
     * @param shedMaxOverDeadline      the longest trigger → OVERLOAD verdict of the 1.5× and 2× steps ÷ the deadline
     */
    public record Ratios(double capacityOverBareModel, double capacityOverStageSum, double goodputAt15xOverCapacity,
                  double goodputAt2xOverCapacity, double shedMaxOverDeadline) {
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }

    /** The table and the ratios, as printed at the end of a run. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "station bench  %s  recipe %s  %d cores  load %.2f → %.2f  %.0f s%n",
                startedAt, settings.recipe(), machine.cores(), machine.loadAverageStart(), machine.loadAverageEnd(), wallS));
        if (bareModel != null) {
            b.append(String.format(Locale.ROOT, "bare model %s on %dx%d: %.1f detect/s on 1 thread, %.1f on %d; "
                    + "%d shot(s) a part → %.1f parts/s%n", bareModel.model(), bareModel.frameWidth(),
                    bareModel.frameHeight(), bareModel.detectsPerS1(), bareModel.detectsPerSWorkers(), bareModel.workers(),
                    bareModel.shotsPerPart(), bareModel.partsPerS()));
        }
        b.append("| phase | offered /s | parts | inspected | timeouts | overload (after trigger) | queue full | goodput /s "
                + "| p50 ms | p99 ms | shed p99 / max ms | CPU ms/part | clean |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %d | %d | %d (%d) | %d | %.1f | %.1f | %.1f | %.1f / %.1f "
                    + "| %.1f | %s |%n", s.phase(), s.offeredHz(), s.triggered(), s.inspected(), s.timeouts(), s.overload(),
                    s.shedAfterTrigger(), s.queueFull(), s.goodputHz(), s.p50Ms(), s.p99Ms(), s.shedP99Ms(), s.shedMaxMs(),
                    s.cpuMsPerPart(), s.clean() ? "yes" : "no"));
        }
        b.append(String.format(Locale.ROOT, "%ncapacity: %.1f parts/s (every part decided, no TIMEOUT or QUEUE_FULL, <= 1%% OVERLOAD, "
                + "in a step of at least %d parts and %.0f s)%n", capacityHz, settings.partsPerStep(), settings.minStepSeconds()));
        if (!stages.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nstages at %.1f parts/s (%d inspected)%n| stage | runs | mean wall ms per run "
                    + "| wall ms per part | CPU ms per part |%n|---|---|---|---|---|%n", reference == null ? 0
                    : reference.offeredHz(), reference == null ? 0 : reference.inspected()));
            stages.forEach((name, s) -> b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", name,
                    s.runs(), s.meanMs(), s.wallMsPerPart(), s.cpuMsPerPart())));
            b.append(String.format(Locale.ROOT, "stage sum %.2f ms of CPU a part → %d cores allow %.1f parts/s; the whole "
                    + "process spent %.2f ms of CPU a part%n", stageSumMsPerPart, machine.cores(), stageSumBoundHz,
                    reference == null ? 0 : reference.cpuMsPerPart()));
        }
        if (plcLatency != null) {
            b.append(String.format(Locale.ROOT, "trigger → PLC subscriber (%d parts at %.1f/s): p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms%n", plcLatency.samples(), reference == null ? 0 : reference.offeredHz(),
                    plcLatency.p50Ms(), plcLatency.p99Ms(), plcLatency.maxMs()));
        }
        b.append(String.format(Locale.ROOT, "capacity / bare model %.2f, capacity / stage-sum bound %.2f, goodput at 1.5x / "
                + "capacity %.2f, at 2x / capacity %.2f, longest OVERLOAD at 1.5x and 2x / deadline %.3f%n",
                ratios.capacityOverBareModel(), ratios.capacityOverStageSum(), ratios.goodputAt15xOverCapacity(),
                ratios.goodputAt2xOverCapacity(), ratios.shedMaxOverDeadline()));
        return b.toString();
    }
}
