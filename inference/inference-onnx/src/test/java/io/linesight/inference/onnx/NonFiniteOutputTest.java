/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.Frame;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.InferenceException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector whose output holds NaN (FP16 overflow, a broken export) compares false with every threshold, so it
 * would report "no defect" for every part. These real ONNX graphs (written by {@link OnnxGraph}: a 64x64 YOLOv8-layout
 * detector with 2 classes whose output is a fixed table) show the run failing instead, so the station rejects the
 * part with INFERENCE_ERROR.
 */
@DisplayName("A detector whose output holds NaN or infinity should fail the run, never report no defect")
class NonFiniteOutputTest {
    private static final int ANCHORS = 64 + 16 + 4; // 64x64 input at strides 8, 16, 32
    private static final int ROWS = 4 + 2;

    @BeforeAll
    static void natives() {
        OpenCvNatives.ensureLoaded();
    }

    /** One box (anchor 10, class 0, score 0.9, centred at 32,32, 20x20) and {@code poke} applied to the table. */
    private static Path detector(Path dir, String name, java.util.function.Consumer<float[]> poke) throws Exception {
        float[] table = new float[ROWS * ANCHORS];
        table[10] = 32;
        table[ANCHORS + 10] = 32;
        table[2 * ANCHORS + 10] = 20;
        table[3 * ANCHORS + 10] = 20;
        table[4 * ANCHORS + 10] = 0.9f;
        poke.accept(table);
        byte[] onnx = new OnnxGraph()
                .input("images", 1L, 3L, 64L, 64L)
                .output("output0", 1L, (long) ROWS, (long) ANCHORS)
                .initializer("table", table, 1, ROWS, ANCHORS)
                .initializer("zero", new float[] {0f})
                .node("ReduceMean", List.of("images"), "mean", Map.of("keepdims", 0))
                .node("Mul", List.of("mean", "zero"), "nothing", Map.of())
                .node("Add", List.of("table", "nothing"), "output0", Map.of())
                .model(Map.of("names", "{0: 'scratch', 1: 'dent'}", "stride", "32", "task", "detect"));
        Path file = dir.resolve(name);
        Files.write(file, onnx);
        return file;
    }

    private static Frame grey() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        return FrameImages.toMono8Frame(img);
    }

    @Test
    void aFiniteOutput_givesItsDetection(@TempDir Path dir) throws Exception {
        Frame img = grey();
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7), detector(dir, "fine.onnx", t -> { }))) {
            List<Detection> found = d.detect(img);
            assertThat(found).singleElement().satisfies(x -> {
                assertThat(x.className()).isEqualTo("scratch");
                assertThat(x.score()).isEqualTo(0.9f);
            });
        } finally {
            img.close();
        }
    }

    @Test
    void aNanClassScoreOrAnInfiniteBoxSize_failsTheRunNamingTheModel(@TempDir Path dir) throws Exception {
        // anchor 40's "dent" score is NaN (the real box at anchor 10 untouched), or the real box's width is infinite
        Map<String, java.util.function.Consumer<float[]>> broken = Map.of(
                "nan.onnx", t -> t[5 * ANCHORS + 40] = Float.NaN,
                "inf.onnx", t -> t[2 * ANCHORS + 10] = Float.POSITIVE_INFINITY);
        Frame img = grey();
        try {
            for (var e : broken.entrySet()) {
                try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7), detector(dir, e.getKey(), e.getValue()))) {
                    assertThatThrownBy(() -> d.detect(img)).isInstanceOf(InferenceException.class)
                            .satisfies(x -> assertThat(((InferenceException) x).code())
                                    .isEqualTo(InferenceException.Code.RUN_FAILED))
                            .hasMessageContaining(e.getKey()).hasMessageContaining("NaN or infinite");
                }
            }
        } finally {
            img.close();
        }
    }

    @Test
    void theCheckSeesOneBadValueAnywhere_inDirectAndHeapBuffers() {
        java.nio.ByteOrder swapped = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN;
        for (String kind : List.of("direct", "direct, other byte order", "heap")) {
            for (int at : new int[] {0, 4_999, 9_999}) {
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    java.nio.FloatBuffer b = switch (kind) {
                        case "direct" -> java.nio.ByteBuffer.allocateDirect(10_000 * 4)
                                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                        case "heap" -> java.nio.FloatBuffer.allocate(10_000);
                        default -> java.nio.ByteBuffer.allocateDirect(10_000 * 4).order(swapped).asFloatBuffer();
                    };
                    for (int i = 0; i < 10_000; i++) {
                        b.put(i, i * 0.5f - 100);
                    }
                    assertThat(FiniteValues.all(b, 0, 10_000)).isTrue();
                    b.put(at, bad);
                    assertThat(FiniteValues.all(b, 0, 10_000)).as("%s at %d, %s buffer", bad, at, kind).isFalse();
                    // outside the range asked about, it does not count
                    assertThat(FiniteValues.all(b, at + 1, 10_000 - at - 1)).isTrue();
                }
            }
        }
        assertThat(FiniteValues.all(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f}, 0, 3)).isTrue();
    }
}
