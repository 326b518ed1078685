/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.benchmarks;

import ai.onnxruntime.OrtSession;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.OnnxDetector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Core;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * {@code detect()} and a bare {@code OrtSession.run} of the same session on the same input, alternating call by call
 * in one thread of one JVM, so that both see the same machine at the same moment: on a shared machine, load that
 * comes and goes between two separately forked benchmarks swamps a 10 % difference, while two neighbouring calls
 * share it.
 *
 * <p>One benchmark operation is one pair: the bare run ({@link OnnxDetector#runPrepared()}: the detector's own input
 * tensor and pinned output, nothing before or after) and {@code detect()} on a Mono8 frame of bus.jpg (letterbox into
 * that tensor, run, decode, NMS), the order swapped every pair so that neither always runs on the other's warm cache.
 * ONNX Runtime and OpenCV both get {@code threads} threads; with 1, everything happens on the benchmark thread, and
 * its CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}) is the work itself, without the time spent waiting
 * for a core that a loaded machine adds to wall time.
 *
 * <p>Each call's wall and CPU time are recorded; at the end of every measurement iteration and of the trial the
 * harness prints, for both, the means, the ratio of the means and the median of the per-pair ratios (the figure
 * least moved by a hiccup that hits one call of a pair). The JMH score is the wall time of a pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DetectVsBareBenchmark {
    private static final int MAX_PAIRS = 1 << 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Param({"yolov8n-coco-int8/yolov8n_int8_opset20.onnx"})
    public String model;

    @Param({"1"})
    public int threads;

    private OnnxDetector detector;
    private Frame frame;
    private final Pairs trial = new Pairs();
    private final Pairs iteration = new Pairs();
    private boolean measuring;

    /** Per-call times of one stretch of the run, in nanoseconds. */
    private static final class Pairs {
        final long[][] ns = new long[4][MAX_PAIRS]; // detect wall, bare wall, detect CPU, bare CPU
        int count;

        void add(long detectWall, long bareWall, long detectCpu, long bareCpu) {
            if (count < MAX_PAIRS) {
                ns[0][count] = detectWall;
                ns[1][count] = bareWall;
                ns[2][count] = detectCpu;
                ns[3][count] = bareCpu;
                count++;
            }
        }

        String summary(String what) {
            if (count == 0) {
                return what + ": no pairs";
            }
            return what + ": " + count + " pairs; wall " + compare(0, 1) + "; CPU " + compare(2, 3);
        }

        private String compare(int detect, int bare) {
            double sumDetect = 0;
            double sumBare = 0;
            double[] ratio = new double[count];
            for (int i = 0; i < count; i++) {
                sumDetect += ns[detect][i];
                sumBare += ns[bare][i];
                ratio[i] = (double) ns[detect][i] / Math.max(1, ns[bare][i]);
            }
            Arrays.sort(ratio);
            return String.format("detect %.2f ms, bare %.2f ms, ratio of means %.3f, median ratio %.3f",
                    sumDetect / count / 1e6, sumBare / count / 1e6, sumDetect / sumBare, ratio[count / 2]);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Shared.loadOpenCv();
        Core.setNumThreads(threads);
        Path file = Shared.root().resolve("models").resolve(model);
        ModelSpec spec = new ModelSpec(model, List.of(), 0.25, Map.of(), 0.45, false, 100, List.of(), null, "cpu",
                threads, 2, null);
        detector = OnnxDetector.open(spec, file);
        frame = FrameImages.toMono8Frame(FrameImages.read(Shared.busJpg()));
        // the prepared tensor the bare run uses is the one detect() fills from this frame
        detector.detect(frame);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        iteration.count = 0;
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @Benchmark
    public int pair() throws InferenceException {
        boolean detectFirst = (iteration.count & 1) == 1;
        long w0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        int found = detectFirst ? detector.detect(frame).size() : bareRun();
        long w1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        found += detectFirst ? bareRun() : detector.detect(frame).size();
        long w2 = System.nanoTime();
        long c2 = THREADS.getCurrentThreadCpuTime();
        if (detectFirst) {
            record(w1 - w0, w2 - w1, c1 - c0, c2 - c1);
        } else {
            record(w2 - w1, w1 - w0, c2 - c1, c1 - c0);
        }
        return found;
    }

    private void record(long detectWall, long bareWall, long detectCpu, long bareCpu) {
        iteration.add(detectWall, bareWall, detectCpu, bareCpu);
        if (measuring) {
            trial.add(detectWall, bareWall, detectCpu, bareCpu);
        }
    }

    private int bareRun() throws InferenceException {
        try (OrtSession.Result r = detector.runPrepared()) {
            return r.size();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        System.out.println();
        System.out.println(iteration.summary("iteration"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println(trial.summary("all measurement iterations"));
        detector.close();
        frame.close();
    }
}
