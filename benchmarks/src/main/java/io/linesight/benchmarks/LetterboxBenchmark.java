/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.benchmarks;

import io.linesight.inference.onnx.InputWriter;
import io.linesight.inference.onnx.Letterbox;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Letterbox + normalise of a 5 MP Mono8 frame (2448x2048) into a 3x640x640 float tensor, as detect() does it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LetterboxBenchmark {
    private Mat frame;
    private InputWriter writer;
    private Letterbox lb;
    private ByteBuffer pixels;

    @Setup(Level.Trial)
    public void setUp() {
        Shared.loadOpenCv();
        int w = 2448;
        int h = 2048;
        pixels = ByteBuffer.allocateDirect(w * h);
        byte[] noise = new byte[w * h];
        new Random(1).nextBytes(noise);
        pixels.put(noise).flip();
        frame = new Mat(h, w, CvType.CV_8UC1, pixels, w); // a header over the frame buffer, as detect() wraps frames
        writer = new InputWriter(ByteBuffer.allocateDirect(3 * 640 * 640 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer(), null, 3);
        lb = Letterbox.of(w, h, 640, 640, false, 32);
    }

    @Benchmark
    public Letterbox mono8_5mp_to640x640x3() {
        writer.write(0, frame, lb, 0, 255);
        return lb;
    }

    @TearDown
    public void tearDown() {
        writer.release();
        frame.release();
    }
}
