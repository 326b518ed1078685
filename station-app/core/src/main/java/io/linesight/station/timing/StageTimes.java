/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.timing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the station spends its time, stage by stage: how often each stage ran, the wall time it took and the CPU
 * time of the thread that ran it, in all, so that the cost of a part in each stage is a total divided by the parts.
 * Cheap enough for every part (two clock reads and three {@link LongAdder} increments a stage), lock-free, any thread.
 *
 * <p>The stages are the ones a part passes through; {@code STORE} and {@code ARCHIVE} count their work on the deciding
 * thread (handing over) and on their own writer threads (spool and database, image encoding and files) alike.
 */
public final class StageTimes {

    /** A stage of a part's way through the station. */
    public enum Stage {
        /** Imaging a part on the acquisition thread: lights, triggers, frames (not its wait before). */
        ACQUIRE,
        /** All rules of a part (they run beside the model). */
        RULES,
        /** The model on every shot it runs on. */
        MODEL,
        /** The anomaly models on their shots (beside the rules and the model). */
        ANOMALY,
        /** The judge combining rule results and detections into the verdict. */
        JUDGE,
        /** Publishing the verdict to the PLC link. */
        PUBLISH,
        /** Keeping the result: handed to the writer, spooled and written to the database. */
        STORE,
        /** Keeping the images: copied for the archive, encoded and written. */
        ARCHIVE
    }

    /**
     * One stage's account: how often it ran, its wall time and the CPU time of the thread that ran it, in all.
     * The CPU time leaves out waits (for a core, the disk, another thread); it is the stage's own cost.
     */
    public record Totals(long count, long nanos, long cpuNanos) {
        /** Mean wall time of one run of the stage, in ms (0 when it never ran). */
        public double meanMs() {
            return count == 0 ? 0 : nanos / 1e6 / count;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    // by the stage's ordinal: every stage has its three counters from the start
    private final LongAdder[] counts = adders();
    private final LongAdder[] nanos = adders();
    private final LongAdder[] cpu = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[Stage.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** The calling thread's CPU time in ns (0 where the JVM cannot tell): read before and after a stage. */
    public static long threadCpuNanos() {
        long t = THREADS.getCurrentThreadCpuTime();
        return t < 0 ? 0 : t;
    }

    /** One run of {@code stage} took {@code wallNanos}, of which the running thread spent {@code cpuNanos} on a core. */
    public void add(Stage stage, long wallNanos, long cpuNanos) {
        counts[stage.ordinal()].increment();
        nanos[stage.ordinal()].add(wallNanos);
        cpu[stage.ordinal()].add(cpuNanos);
    }

    /** Measures {@code work} as one run of {@code stage} on the calling thread. */
    public <T> T time(Stage stage, java.util.function.Supplier<T> work) {
        long wall = System.nanoTime();
        long c = threadCpuNanos();
        try {
            return work.get();
        } finally {
            add(stage, System.nanoTime() - wall, threadCpuNanos() - c);
        }
    }

    /** The totals since start or the last {@link #reset()}; counters are read one after the other. */
    public Map<Stage, Totals> snapshot() {
        Map<Stage, Totals> out = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            out.put(s, new Totals(counts[s.ordinal()].sum(), nanos[s.ordinal()].sum(), cpu[s.ordinal()].sum()));
        }
        return out;
    }

    /** Zeroes every stage (between measurements; runs still under way may land on either side). */
    public void reset() {
        for (Stage s : Stage.values()) {
            counts[s.ordinal()].reset();
            nanos[s.ordinal()].reset();
            cpu[s.ordinal()].reset();
        }
    }
}
