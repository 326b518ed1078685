/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class InputWriterTest {
    private static final float PAD = 114 / 255f;

    private static Mat mono8(int w, int h, int value) {
        OpenCvNatives.ensureLoaded();
        Mat m = new Mat(h, w, CvType.CV_8UC1);
        m.setTo(new org.opencv.core.Scalar(value));
        return m;
    }

    @Test
    void mono8IntoThreeChannels_isTheSamePlaneThrice_paddedWith114() {
        FloatBuffer t = ByteBuffer.allocateDirect(3 * 8 * 8 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        InputWriter w = new InputWriter(t, null, 3);
        Letterbox lb = Letterbox.of(8, 4, 8, 8, false, 32); // 8x4 -> rows 2..5
        w.write(0, mono8(8, 4, 51), lb, 0, 255);
        for (int c = 0; c < 3; c++) {
            assertThat(t.get(c * 64)).isEqualTo(PAD);
            assertThat(t.get(c * 64 + 2 * 8 + 3)).isEqualTo(0.2f);
            assertThat(t.get(c * 64 + 6 * 8 + 7)).isEqualTo(PAD);
        }
    }

    @Test
    void secondBatchSlot_leavesTheFirstAlone() {
        FloatBuffer t = ByteBuffer.allocateDirect(2 * 16 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        InputWriter w = new InputWriter(t, null, 1);
        Letterbox lb = Letterbox.of(4, 4, 4, 4, false, 32);
        w.write(0, mono8(4, 4, 255), lb, 0, 255);
        w.write(1, mono8(4, 4, 0), lb, 0, 255);
        assertThat(t.get(5)).isEqualTo(1f);
        assertThat(t.get(16 + 5)).isZero();
    }

    @Test
    void float16Tensor_holdsHalfPrecisionBits() {
        ShortBuffer t = ByteBuffer.allocateDirect(16 * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
        new InputWriter(null, t, 1).write(0, mono8(4, 4, 51), Letterbox.of(4, 4, 4, 4, false, 32), 0, 255);
        assertThat(Float.float16ToFloat(t.get(0))).isCloseTo(0.2f, within(1e-3f));
    }

    @Test
    void mono16_isScaledThroughTheWindowAndClipped() {
        FloatBuffer t = ByteBuffer.allocateDirect(3 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        OpenCvNatives.ensureLoaded();
        Mat m = new Mat(1, 3, CvType.CV_16UC1);
        m.put(0, 0, new short[] {100, 600, (short) 4000});
        new InputWriter(t, null, 1).write(0, m, Letterbox.of(3, 1, 3, 1, false, 1), 100, 1100);
        assertThat(t.get(0)).isZero();
        assertThat(t.get(1)).isEqualTo(0.5f);
        assertThat(t.get(2)).isEqualTo(1f);
    }

    @Test
    void bgrImage_isWrittenAsRgbPlanes() {
        FloatBuffer t = ByteBuffer.allocateDirect(3 * 4 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        OpenCvNatives.ensureLoaded();
        Mat m = new Mat(2, 2, CvType.CV_8UC3, new org.opencv.core.Scalar(255, 0, 51)); // B=255, G=0, R=51
        new InputWriter(t, null, 3).write(0, m, Letterbox.of(2, 2, 2, 2, false, 1), 0, 255);
        assertThat(t.get(0)).isEqualTo(0.2f); // R
        assertThat(t.get(4)).isZero();        // G
        assertThat(t.get(8)).isEqualTo(1f);   // B
    }
}
