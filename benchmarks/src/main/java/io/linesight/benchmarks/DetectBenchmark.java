/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.benchmarks;

import ai.onnxruntime.OrtSession;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.Letterbox;
import io.linesight.inference.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;
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

/**
 * {@code detect()} at 640 on a Mono8 frame of bus.jpg (letterbox, run, decode, NMS) against the floor: a bare
 * {@code OrtSession.run} of the same session on the same prepared input tensor, with nothing before or after it. And
 * the same model through OpenCV DNN ({@code Dnn.readNetFromONNX}) on the same letterboxed picture, where OpenCV can
 * load it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DetectBenchmark {
    @Param({"yolov8n-coco-int8/yolov8n_int8_opset20.onnx", "yolov5n-coco-fp16/yolov5n_fp16.onnx"})
    public String model;

    @Param({"1"})
    public int threads;

    private OnnxDetector detector;
    private Frame frame;
    private Net net;
    private Mat blob;
    private String dnnFailure;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Shared.loadOpenCv();
        Path file = Shared.root().resolve("models").resolve(model);
        ModelSpec spec = new ModelSpec(model, List.of(), 0.25, Map.of(), 0.45, false, 100, List.of(), null, "cpu",
                threads, 2, null);
        detector = OnnxDetector.open(spec, file);
        BufferedImage img = FrameImages.read(Shared.busJpg());
        frame = FrameImages.toMono8Frame(img);
        detector.detect(frame); // leaves the prepared tensor of this frame in the detector's input buffer

        Mat grey = new Mat(frame.height(), frame.width(), org.opencv.core.CvType.CV_8UC1, frame.pixels(), frame.stride());
        try {
            net = Dnn.readNetFromONNX(file.toString());
            net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
            net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
            Core.setNumThreads(threads);
            Letterbox lb = Letterbox.of(frame.width(), frame.height(), 640, 640, false, 32);
            Mat small = new Mat();
            Imgproc.resize(grey, small, new Size(lb.newW(), lb.newH()), 0, 0, Imgproc.INTER_LINEAR);
            Mat boxed = new Mat();
            Core.copyMakeBorder(small, boxed, lb.top(), lb.tensorH() - lb.top() - lb.newH(), lb.left(),
                    lb.tensorW() - lb.left() - lb.newW(), Core.BORDER_CONSTANT, new Scalar(114));
            Mat bgr = new Mat();
            Imgproc.cvtColor(boxed, bgr, Imgproc.COLOR_GRAY2BGR);
            blob = Dnn.blobFromImage(bgr, 1 / 255.0, new Size(640, 640), new Scalar(0, 0, 0), true, false);
            net.setInput(blob);
            net.forward();
        } catch (RuntimeException e) {
            dnnFailure = e.getMessage();
            System.err.println("OpenCV DNN cannot run " + model + ": " + e.getMessage());
            net = null;
        }
    }

    @Benchmark
    public List<Detection> detect_endToEnd() throws InferenceException {
        return detector.detect(frame);
    }

    @Benchmark
    public int bareOrtSessionRun_floor() throws InferenceException {
        try (OrtSession.Result r = detector.runPrepared()) {
            return r.size();
        }
    }

    @Benchmark
    public Mat openCvDnn_forward() {
        if (net == null) {
            throw new IllegalStateException("OpenCV DNN could not load " + model + ": " + dnnFailure);
        }
        net.setInput(blob);
        return net.forward();
    }

    @TearDown
    public void tearDown() {
        detector.close();
        frame.close();
    }
}
