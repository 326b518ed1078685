/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.InferenceException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real models from the shared fixtures against the detections published in
 * {@code datasets/ultralytics-samples/REFERENCE_DETECTIONS.md}. Skipped only when the shared folder is absent.
 */
class ReferenceDetectionsTest {
    private static Path shared;

    @BeforeAll
    static void findShared() {
        shared = Specs.sharedOrSkip();
    }

    private static Detection ref(String name, int cls, double conf, double x1, double y1, double x2, double y2) {
        return new Detection((float) x1, (float) y1, (float) x2, (float) y2, cls, name, (float) conf);
    }

    // section A: YOLOv8n fp32, published
    static final List<Detection> BUS_V8 = List.of(
            ref("bus", 5, 0.87345, 22.87127, 231.27731, 805.00262, 756.84045),
            ref("person", 0, 0.86569, 48.55046, 398.55231, 245.34560, 902.70270),
            ref("person", 0, 0.85284, 669.47290, 392.18594, 809.72015, 877.03546),
            ref("person", 0, 0.82522, 221.51729, 405.79865, 344.97061, 857.53662),
            ref("person", 0, 0.26111, 0.00000, 550.52502, 63.00691, 873.44293));

    // section C: YOLOv5s fp32 on zidane.jpg, published in ultralytics/yolov5
    private static final List<Detection> ZIDANE_V5S = List.of(
            ref("person", 0, 0.8900438547, 749.5, 43.5, 1148.0, 704.5),
            ref("person", 0, 0.8440024257, 113.5, 196.0, 1093.0, 711.0),
            ref("tie", 27, 0.3771208823, 437.5, 433.5, 529.5, 717.5),
            ref("tie", 27, 0.3527112305, 1090.0, 312.0, 1135.0, 410.0));

    static Detection bestMatch(Detection want, List<Detection> got) {
        return got.stream().filter(d -> d.classId() == want.classId())
                .max(Comparator.comparingDouble(d -> d.iou(want))).orElseThrow(
                        () -> new AssertionError("no " + want.className() + " detected, want " + want + " in " + got));
    }

    @Test
    void yolov8nInt8_onBus_findsTheBusAndFourPersonsAsPublished() throws Exception {
        Path model = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        BufferedImage img = FrameImages.read(shared.resolve("datasets/ultralytics-samples/bus.jpg"));
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7), model)) {
            assertThat(d.info().layout()).isEqualTo("yolov8");
            List<Detection> got = d.detectRgb(img);
            System.out.println("yolov8n int8 bus.jpg: " + got);
            assertThat(got.stream().filter(x -> x.className().equals("bus"))).hasSize(1);
            assertThat(got.stream().filter(x -> x.className().equals("person"))).hasSize(4);
            for (Detection want : BUS_V8) {
                Detection m = bestMatch(want, got);
                System.out.printf("  %s ref %.3f got %.3f (diff %+.3f) IoU %.3f%n", want.className(), want.score(),
                        m.score(), m.score() - want.score(), m.iou(want));
                assertThat(m.iou(want)).as("IoU of %s with %s", m, want).isGreaterThanOrEqualTo(0.9f);
                // INT8 weights and a square 640x640 letterbox (the published run used fp32 and 640x480) drift:
                // measured -0.057 .. +0.105 against the published fp32 scores
                assertThat(Math.abs(m.score() - want.score())).as("score drift of %s", m).isLessThanOrEqualTo(0.11f);
            }
            // against the INT8 scores observed independently (section E: Java2D resize, same model) the drift is
            // within 0.05: 0.901, 0.895, 0.880, 0.819 (bus), 0.327
            float[] observedInt8 = {0.819f, 0.880f, 0.901f, 0.895f, 0.327f};
            for (int i = 0; i < BUS_V8.size(); i++) {
                Detection m = bestMatch(BUS_V8.get(i), got);
                assertThat(Math.abs(m.score() - observedInt8[i])).as("score of %s vs INT8 observation", m)
                        .isLessThanOrEqualTo(0.05f);
            }
        }
    }

    @Test
    void yolov5nFp16_onZidane_findsTwoPersonsAndATieNearTheReference() throws Exception {
        Path model = shared.resolve("models/yolov5n-coco-fp16/yolov5n_fp16.onnx");
        BufferedImage img = FrameImages.read(shared.resolve("datasets/ultralytics-samples/zidane.jpg"));
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.45), model)) {
            assertThat(d.info().layout()).isEqualTo("yolov5");
            List<Detection> got = d.detectRgb(img);
            System.out.println("yolov5n fp16 zidane.jpg: " + got);
            assertThat(got.stream().filter(x -> x.className().equals("person"))).hasSize(2);
            // YOLOv5s finds 2 ties (section D), the smaller yolov5n only the one under Zidane's collar (as the
            // yolov5s-seg count "1 tie" and the local observation in section E)
            assertThat(got.stream().filter(x -> x.className().equals("tie"))).hasSize(1);
            assertThat(bestMatch(ZIDANE_V5S.get(0), got).iou(ZIDANE_V5S.get(0))).isGreaterThanOrEqualTo(0.9f);
            assertThat(bestMatch(ZIDANE_V5S.get(2), got).iou(ZIDANE_V5S.get(2))).isGreaterThanOrEqualTo(0.6f);
            for (Detection want : ZIDANE_V5S) {
                Detection m = got.stream().filter(x -> x.classId() == want.classId())
                        .max(Comparator.comparingDouble(x -> x.iou(want))).orElse(null);
                System.out.printf("  %s ref %.3f got %s IoU %.3f%n", want.className(), want.score(),
                        m == null ? "-" : String.format("%.3f", m.score()), m == null ? 0 : m.iou(want));
            }
        }
    }

    @Test
    void yolo26nInt8EndToEnd_isRefusedNamingTheFileAndTheOperator() {
        Path model = shared.resolve("models/yolo26n-coco-int8-e2e/yolo26n_int8.onnx");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxDetector.open(Specs.spec(0.25, 0.7), model))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo(InferenceException.Code.LOAD_FAILED);
                    assertThat(e.getMessage()).contains("yolo26n_int8.onnx").contains("ConvInteger");
                });
    }

    @Test
    void greyFrameOfBus_throughTheSpi_stillFindsPeople() throws Exception {
        Path model = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        BufferedImage img = FrameImages.read(shared.resolve("datasets/ultralytics-samples/bus.jpg"));
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7), model);
             Frame f = FrameImages.toMono8Frame(img)) {
            List<Detection> got = d.detect(f);
            System.out.println("yolov8n int8 grey bus.jpg: " + got);
            assertThat(got.stream().filter(x -> x.className().equals("person")).count()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void mono12Frame_throughItsWindow_detectsLikeTheMono8Frame() throws Exception {
        Path model = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        BufferedImage img = FrameImages.read(shared.resolve("datasets/ultralytics-samples/bus.jpg"));
        ModelSpec windowed = new ModelSpec("m.onnx", List.of(), 0.25, java.util.Map.of(), 0.7, false, 100, List.of(),
                null, Specs.provider(), 1, 0, List.of(0, 4080));
        try (OnnxDetector d8 = OnnxDetector.open(Specs.spec(0.25, 0.7), model);
             OnnxDetector d12 = OnnxDetector.open(windowed, model);
             Frame f8 = FrameImages.toMono8Frame(img)) {
            java.nio.ByteBuffer px = f8.pixels();
            short[] v12 = new short[f8.width() * f8.height()];
            for (int i = 0; i < v12.length; i++) {
                v12[i] = (short) ((px.get(i) & 0xFF) * 16);
            }
            try (Frame f12 = FrameImages.mono16Frame(v12, f8.width(), f8.height(), PixelFormat.MONO12)) {
                List<Detection> a = d8.detect(f8);
                List<Detection> b = d12.detect(f12);
                System.out.println("mono8: " + a + "\nmono12: " + b);
                assertThat(b).hasSameSizeAs(a);
                for (Detection want : a) {
                    // 16-bit resize rounds differently from 8-bit: near-identical, not bit-identical (the weak edge person moves most: IoU 0.83)
                    assertThat(bestMatch(want, b).iou(want)).isGreaterThan(0.8f);
                }
            }
        }
    }
}
