/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.InferenceException;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Prints the detections of every input path of {@link OnnxDetector} on the shared sample pictures, each float to
 * the last bit, so that two builds can be compared with {@code diff}; not a test (no assertions), run by hand as
 * docs/BENCHMARKS.md says. Paths: Mono8, RGB, Mono12 through a window and tiled with YOLOv8n INT8; RGB, Mono8 and
 * Mono16 into the FP16 input of YOLOv5n. Argument: the shared fixtures folder.
 */
final class DetectionsDumpMain {
    private DetectionsDumpMain() {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        Path v8 = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        Path v5 = shared.resolve("models/yolov5n-coco-fp16/yolov5n_fp16.onnx");
        BufferedImage bus = FrameImages.read(shared.resolve("datasets/ultralytics-samples/bus.jpg"));
        BufferedImage zidane = FrameImages.read(shared.resolve("datasets/ultralytics-samples/zidane.jpg"));
        try (OnnxDetector d = OnnxDetector.open(spec(null, null, 0.7), v8);
             Frame busGrey = FrameImages.toMono8Frame(bus);
             Frame zidaneGrey = FrameImages.toMono8Frame(zidane);
             Frame bus12 = scaled(busGrey, 16, PixelFormat.MONO12);
             OnnxDetector d12 = OnnxDetector.open(spec(null, List.of(0, 4080), 0.7), v8);
             OnnxDetector tiled = OnnxDetector.open(spec(new ModelSpec.TilingSpec(640, 64, true), null, 0.7), v8)) {
            print("yolov8n int8, mono8 bus", d.detect(busGrey));
            print("yolov8n int8, mono8 zidane", d.detect(zidaneGrey));
            print("yolov8n int8, rgb bus", d.detectRgb(bus));
            print("yolov8n int8, mono12 bus", d12.detect(bus12));
            print("yolov8n int8, tiled mono8 bus", tiled.detect(busGrey));
        }
        try (OnnxDetector d = OnnxDetector.open(spec(null, null, 0.45), v5);
             Frame busGrey = FrameImages.toMono8Frame(bus);
             Frame bus16 = scaled(busGrey, 257, PixelFormat.MONO16)) {
            print("yolov5n fp16, rgb zidane", d.detectRgb(zidane));
            print("yolov5n fp16, mono8 bus", d.detect(busGrey));
            print("yolov5n fp16, mono16 bus", d.detect(bus16));
        }
    }

    private static ModelSpec spec(ModelSpec.TilingSpec tiling, List<Integer> window, double iou) {
        return new ModelSpec("m.onnx", List.of(), 0.25, Map.of(), iou, false, 100, List.of(), tiling, "cpu", 1, 0, window);
    }

    /** A 16-bit frame holding each Mono8 value times {@code factor}. */
    private static Frame scaled(Frame mono8, int factor, PixelFormat format) {
        ByteBuffer px = mono8.pixels();
        short[] v = new short[mono8.width() * mono8.height()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) ((px.get(i) & 0xFF) * factor);
        }
        return FrameImages.mono16Frame(v, mono8.width(), mono8.height(), format);
    }

    private static void print(String what, List<Detection> found) throws InferenceException {
        System.out.println(what);
        for (Detection d : found) {
            System.out.printf("  %s %s %s %s %s %s%n", d.className(), Float.toHexString(d.score()),
                    Float.toHexString(d.x1()), Float.toHexString(d.y1()), Float.toHexString(d.x2()), Float.toHexString(d.y2()));
        }
    }
}
