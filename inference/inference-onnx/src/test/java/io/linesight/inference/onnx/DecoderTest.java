/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Hand-built output tensors, one per layout. */
class DecoderTest {
    private static final Letterbox IDENTITY = Letterbox.of(640, 640, 640, 640, false, 32);

    private static Candidates decode(OutputLayout layout, float[] out, int rows, int cols, Letterbox lb,
                                     float[] classThr, float thr) {
        Candidates c = new Candidates(4);
        new Decoder(layout, classThr, thr).decode(FloatBuffer.wrap(out), 0, rows, cols, lb, 0, 0, c);
        return c;
    }

    @Nested
    @DisplayName("YOLOv8 [1, 4+C, N]")
    class V8 {
        // 3 anchors, 2 classes; rows: cx, cy, w, h, cls0, cls1
        final float[] out = {
                100, 300, 500,   // cx
                100, 300, 500,   // cy
                20, 40, 60,      // w
                10, 20, 30,      // h
                0.9f, 0.1f, 0.2f, // class 0
                0.1f, 0.6f, 0.3f, // class 1
        };

        @Test
        void bestClassPerAnchor_aboveThreshold_becomesACornerBox() {
            Candidates c = decode(OutputLayout.YOLOV8, out, 6, 3, IDENTITY, new float[] {0.25f, 0.25f}, 0.25f);
            assertThat(c.size()).isEqualTo(3);
            assertThat(c.classId(0)).isZero();
            assertThat(c.score(0)).isEqualTo(0.9f);
            assertThat(new float[] {c.x1(0), c.y1(0), c.x2(0), c.y2(0)}).containsExactly(90, 95, 110, 105);
            assertThat(c.classId(1)).isEqualTo(1);
            assertThat(c.classId(2)).isEqualTo(1);
            assertThat(c.score(2)).isEqualTo(0.3f);
        }

        @Test
        void perClassThreshold_dropsOnlyThatClass() {
            Candidates c = decode(OutputLayout.YOLOV8, out, 6, 3, IDENTITY, new float[] {0.25f, 0.5f}, 0.25f);
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.score(1)).isEqualTo(0.6f);
        }

        /**
         * The detector's pinned output lies in direct memory, where OpenCV finds each anchor's best score; a heap
         * buffer goes through the plain loop. Both must give the same boxes, ties (first class wins) included.
         */
        @Test
        void directOutput_givesTheSameCandidatesAsAHeapCopy() {
            int classes = 5;
            int n = 2000;
            int rows = 4 + classes;
            float[] values = new float[2 * rows * n]; // two batch slots, the second one decoded
            java.util.Random r = new java.util.Random(3);
            for (int i = 0; i < values.length; i++) {
                values[i] = i % (rows * n) < 4 * n ? 10 + r.nextFloat() * 600 : r.nextFloat() * r.nextFloat();
            }
            int base = rows * n;
            for (int i = 0; i < n; i += 7) {
                values[base + (4 + 3) * n + i] = 0.5f; // class 3 and 1 tie on these anchors: class 1 must win
                values[base + (4 + 1) * n + i] = 0.5f;
                values[base + (4 + 2) * n + i] = 0.1f;
            }
            FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(values.length * 4)
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().put(values);
            float[] thresholds = {0.3f, 0.25f, 0.6f, 0.25f, 0.4f};
            Candidates viaHeap = new Candidates(4);
            Candidates viaDirect = new Candidates(4);
            Decoder decoder = new Decoder(OutputLayout.YOLOV8, thresholds, 0.25f);
            decoder.decode(FloatBuffer.wrap(values), base, rows, n, IDENTITY, 0, 0, viaHeap);
            decoder.decode(direct, base, rows, n, IDENTITY, 0, 0, viaDirect);
            decoder.release();
            assertThat(viaHeap.size()).isGreaterThan(100);
            assertThat(viaDirect.size()).isEqualTo(viaHeap.size());
            for (int i = 0; i < viaHeap.size(); i++) {
                assertThat(viaDirect.classId(i)).isEqualTo(viaHeap.classId(i));
                assertThat(viaDirect.score(i)).isEqualTo(viaHeap.score(i));
                assertThat(new float[] {viaDirect.x1(i), viaDirect.y1(i), viaDirect.x2(i), viaDirect.y2(i)})
                        .containsExactly(viaHeap.x1(i), viaHeap.y1(i), viaHeap.x2(i), viaHeap.y2(i));
            }
            assertThat(java.util.stream.IntStream.range(0, viaHeap.size()).filter(i -> viaHeap.score(i) == 0.5f)
                    .map(viaHeap::classId).distinct().toArray()).containsExactly(1);
        }

        @Test
        void letterboxedWideFrame_mapsBackToFramePixels() {
            // 1280x640 -> 640x320 placed at y = 160
            Letterbox lb = Letterbox.of(1280, 640, 640, 640, false, 32);
            Candidates c = decode(OutputLayout.YOLOV8, out, 6, 3, lb, new float[] {0.5f, 0.5f}, 0.5f);
            // anchor 0 lies in the top padding: clipped to zero height, it is dropped
            assertThat(c.size()).isEqualTo(1);
            // anchor 1: (280,290)-(320,310) in the input -> x*2, (y-160)*2
            assertThat(new float[] {c.x1(0), c.y1(0), c.x2(0), c.y2(0)}).containsExactly(560, 260, 640, 300);
            assertThat(c.classId(0)).isEqualTo(1);
        }
    }

    @Test
    void yolov5_scoreIsObjectnessTimesClass() {
        // [1, 3, 5+2]: cx, cy, w, h, obj, cls0, cls1
        float[] out = {
                100, 100, 20, 20, 0.9f, 0.5f, 0.8f,   // 0.72 class 1
                200, 200, 20, 20, 0.2f, 0.99f, 0.1f,  // obj below threshold
                300, 300, 20, 20, 0.5f, 0.4f, 0.1f,   // 0.20 < 0.25
        };
        Candidates c = decode(OutputLayout.YOLOV5, out, 3, 7, IDENTITY, new float[] {0.25f, 0.25f}, 0.25f);
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.classId(0)).isEqualTo(1);
        assertThat(c.score(0)).isCloseTo(0.72f, within(1e-6f));
        assertThat(new float[] {c.x1(0), c.y1(0), c.x2(0), c.y2(0)}).containsExactly(90, 90, 110, 110);
    }

    @Test
    void endToEnd_readsCornersScoreAndClass() {
        float[] out = {
                10, 20, 110, 220, 0.8f, 3,
                50, 50, 60, 60, 0.1f, 1,
        };
        Candidates c = decode(OutputLayout.END2END, out, 2, 6, IDENTITY, new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 0.25f);
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.classId(0)).isEqualTo(3);
        assertThat(new float[] {c.x1(0), c.y1(0), c.x2(0), c.y2(0)}).containsExactly(10, 20, 110, 220);
    }

    @Test
    void tileOrigin_shiftsBoxesIntoTheFrame() {
        float[] out = {10, 20, 110, 220, 0.8f, 0};
        Candidates c = new Candidates(4);
        new Decoder(OutputLayout.END2END, new float[] {0.25f}, 0.25f)
                .decode(FloatBuffer.wrap(out), 0, 1, 6, IDENTITY, 1000, 2000, c);
        assertThat(new float[] {c.x1(0), c.y1(0), c.x2(0), c.y2(0)}).containsExactly(1010, 2020, 1110, 2220);
    }

    @Nested
    @DisplayName("layout recognition")
    class Recognition {
        @Test
        void v8_v5_andEndToEnd_fromShapesAlone() {
            assertThat(OutputLayout.recognise(new long[] {1, 84, 8400}, 80, null, 640, 640)).isEqualTo(OutputLayout.YOLOV8);
            assertThat(OutputLayout.recognise(new long[] {1, 25200, 85}, 80, null, 640, 640)).isEqualTo(OutputLayout.YOLOV5);
            assertThat(OutputLayout.recognise(new long[] {1, 300, 6}, 80, true, 640, 640)).isEqualTo(OutputLayout.END2END);
            assertThat(OutputLayout.recognise(new long[] {1, 300, 6}, 80, null, 640, 640)).isEqualTo(OutputLayout.END2END);
        }

        @Test
        void oneClassYolov5_isNotTakenForEndToEnd() {
            // [1, 25200, 6] is YOLOv5 with one class: the anchor count says so
            assertThat(OutputLayout.recognise(new long[] {1, 25200, 6}, 1, null, 640, 640)).isEqualTo(OutputLayout.YOLOV5);
        }

        @Test
        void classCountMismatch_isRefusedNamingTheShape() {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> OutputLayout.recognise(new long[] {1, 84, 8400}, 3, null, 640, 640))
                    .hasMessageContaining("[1, 84, 8400]").hasMessageContaining("3 class names");
        }
    }
}
