/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.benchmarks;

import io.linesight.inference.onnx.Candidates;
import io.linesight.inference.onnx.Decoder;
import io.linesight.inference.onnx.FiniteValues;
import io.linesight.inference.onnx.Letterbox;
import io.linesight.inference.onnx.Nms;
import io.linesight.inference.onnx.OutputLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decode + NMS of a YOLOv8 [1,84,8400] output held in a direct buffer (as the pinned ONNX Runtime output is):
 * background scores below 0.05, and 10 objects each predicted by 20 neighbouring anchors above the 0.25 threshold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeNmsBenchmark {
    private static final int N = 8400;
    private FloatBuffer out;
    private Decoder decoder;
    private final Candidates candidates = new Candidates(1024);
    private final Nms nms = new Nms();
    private final Letterbox lb = Letterbox.of(2448, 2048, 640, 640, false, 32);

    @Setup(Level.Trial)
    public void setUp() {
        out = ByteBuffer.allocateDirect(84 * N * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Random r = new Random(7);
        for (int i = 0; i < N; i++) {
            out.put(i, r.nextFloat() * 640);
            out.put(N + i, r.nextFloat() * 640);
            out.put(2 * N + i, 10 + r.nextFloat() * 60);
            out.put(3 * N + i, 10 + r.nextFloat() * 60);
            for (int c = 0; c < 80; c++) {
                out.put((4 + c) * N + i, r.nextFloat() * 0.05f);
            }
        }
        for (int obj = 0; obj < 10; obj++) {
            float cx = 50 + obj * 55;
            float cy = 100 + obj * 40;
            int cls = obj % 3;
            for (int k = 0; k < 20; k++) {
                int i = obj * 700 + k;
                out.put(i, cx + r.nextFloat() * 4);
                out.put(N + i, cy + r.nextFloat() * 4);
                out.put(2 * N + i, 40 + r.nextFloat() * 4);
                out.put(3 * N + i, 40 + r.nextFloat() * 4);
                out.put((4 + cls) * N + i, 0.3f + r.nextFloat() * 0.6f);
            }
        }
        float[] thr = new float[80];
        Arrays.fill(thr, 0.25f);
        decoder = new Decoder(OutputLayout.YOLOV8, thr, 0.25f);
    }

    @Benchmark
    public int decodeAndNms_1x84x8400() {
        candidates.clear();
        decoder.decode(out, 0, 84, N, lb, 0, 0, candidates);
        return nms.run(candidates, 0.45f, false, 100, false);
    }

    /** The check {@code detect()} makes before decoding: every value of the output a number (no NaN, no infinity). */
    @Benchmark
    public boolean finiteCheck_1x84x8400() {
        return FiniteValues.all(out, 0, 84 * N);
    }
}
