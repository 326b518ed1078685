/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the Spinnaker driver turns a grabbed image into a frame: checked against the configuration's width, height,
 * stride and pixel format before a byte is copied, like the GenICam driver. No Spinnaker SDK or FLIR camera can exist
 * on the build machines, so the images come from {@link FakeImage} through the driver's seam ({@link GrabbedImage});
 * the SDK calls that fill that seam ({@link SdkImageSource}) have not run here.
 */
@DisplayName("a Spinnaker image should become")
class SpinnakerFrameCheckTest {
    static final int W = 64;
    static final int H = 48;

    private final List<Frame> frames = new ArrayList<>();
    private final FrameSink keep = frames::add;
    private final FramePool pool = new FramePool(1, W * H * 2); // one buffer: each frame reuses the last one's
    private FrameDelivery delivery;

    @AfterEach
    void release() {
        frames.forEach(f -> {
            if (!f.isReleased()) {
                f.close();
            }
        });
    }

    private Frame deliver(PixelFormat format, String expectedSymbol, GrabbedImage image) {
        CameraConfig config = new CameraConfig("top", "spinnaker", "20123456", W, H, format, TriggerMode.SOFTWARE, 1000, Map.of());
        if (delivery == null) {
            delivery = new FrameDelivery(config, new ImageCheck(config, expectedSymbol), pool,
                    new io.linesight.camera.driver.SinkDelivery(config.id()));
        }
        frames.forEach(f -> {
            if (!f.isReleased()) {
                f.close();
            }
        });
        delivery.deliver(image, null, keep, 1000, 0);
        return frames.getLast();
    }

    private static byte[] pixels(Frame frame) {
        ByteBuffer b = frame.pixels();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] rowsWithoutPadding(FakeImage image, int rowBytes) {
        byte[] out = new byte[rowBytes * (int) image.height()];
        for (int y = 0; y < image.height(); y++) {
            image.bytes().get((int) (y * image.stride()), out, y * rowBytes, rowBytes);
        }
        return out;
    }

    @Test
    void aCompleteFrame_whenItIsTheConfiguredImage() {
        FakeImage image = FakeImage.of("Mono8", W, H, 1, W, 7);
        Frame frame = deliver(PixelFormat.MONO8, "Mono8", image);

        assertThat(frame.complete()).isTrue();
        assertThat(frame.incompleteReason()).isNull();
        assertThat(pixels(frame)).isEqualTo(rowsWithoutPadding(image, W));
    }

    @Test
    void aCompleteFrame_withoutTheRowPadding_whenTheStrideIsLongerThanARow() {
        FakeImage image = FakeImage.of("Mono16", W, H, 2, W * 2 + 24, 3);
        Frame frame = deliver(PixelFormat.MONO16, "Mono16", image);

        assertThat(frame.complete()).isTrue();
        assertThat(frame.stride()).isEqualTo(W * 2);
        assertThat(pixels(frame)).isEqualTo(rowsWithoutPadding(image, W * 2));
    }

    @Test
    void incomplete_withoutThePreviousPartsPixels_whenTheImageHasFewerRows() {
        deliver(PixelFormat.MONO8, "Mono8", FakeImage.of("Mono8", W, H, 1, W, 99)); // fills the only buffer
        Frame frame = deliver(PixelFormat.MONO8, "Mono8", FakeImage.of("Mono8", W, H - 10, 1, W, 1));

        assertThat(frame.complete()).isFalse();
        assertThat(frame.incompleteReason()).isEqualTo("image is 64x38, configured 64x48");
        assertThat(pixels(frame)).as("no stale pixels of the earlier image").containsOnly((byte) 0);
    }

    @Test
    void incomplete_withoutReadingPastIt_whenTheImageIsSmaller() {
        Frame frame = deliver(PixelFormat.MONO16, "Mono16", FakeImage.of("Mono16", W / 2, H / 2, 2, W, 1));

        assertThat(frame.complete()).isFalse();
        assertThat(frame.incompleteReason()).isEqualTo("image is 32x24, configured 64x48");
    }

    @Test
    void incomplete_whenTheImageIsWider() {
        Frame frame = deliver(PixelFormat.MONO8, "Mono8", FakeImage.of("Mono8", W + 16, H, 1, W + 16, 1));

        assertThat(frame.incompleteReason()).isEqualTo("image is 80x48, configured 64x48");
    }

    @Test
    void incomplete_whenThePixelFormatIsNotTheExpectedOne() {
        Frame mono16 = deliver(PixelFormat.MONO8, "Mono8", FakeImage.of("Mono16", W, H, 2, W * 2, 1));
        assertThat(mono16.incompleteReason()).isEqualTo("image pixel format is Mono16, expected Mono8");

        delivery = null; // a Mono12p camera whose images the SDK was to convert to Mono16
        Frame packed = deliver(PixelFormat.MONO12, "Mono16", FakeImage.of("Mono12p", W, H, 2, W * 2, 1));
        assertThat(packed.incompleteReason()).isEqualTo("image pixel format is Mono12p, expected Mono16");
    }

    @Test
    void incomplete_whenTheStrideIsShorterThanARow() {
        FakeImage image = FakeImage.of("Mono8", W, H, 1, W, 1);
        FakeImage shortStride = new FakeImage(W, H, W - 4, image.pixelFormat(), image.bytes(), false, "", 1);
        Frame frame = deliver(PixelFormat.MONO8, "Mono8", shortStride);

        assertThat(frame.incompleteReason()).isEqualTo("row stride of 60 bytes is shorter than a 64-pixel row (64 bytes)");
    }

    @Test
    void incomplete_withoutReadingPastIt_whenItsDataIsShorterThanItsRows() {
        Frame frame = deliver(PixelFormat.MONO8, "Mono8", FakeImage.of("Mono8", W, H, 1, W, 1).truncatedTo(W * H - 1));

        assertThat(frame.incompleteReason()).isEqualTo("image holds 3071 bytes of data; 64x48 with a stride of 64 bytes needs 3072");
    }

    @Test
    void incomplete_withTheSdksReason_whenTheSdkMarkedItIncomplete() {
        FakeImage image = FakeImage.of("Mono8", W, H, 1, W, 5).markedIncomplete("the SDK marked the image incomplete (image status 3)");
        Frame frame = deliver(PixelFormat.MONO8, "Mono8", image);

        assertThat(frame.complete()).isFalse();
        assertThat(frame.incompleteReason()).isEqualTo("the SDK marked the image incomplete (image status 3)");
        assertThat(pixels(frame)).as("what did arrive is kept, for the archive").isEqualTo(rowsWithoutPadding(image, W));
        assertThat(delivery.incomplete()).isEqualTo(1);
    }
}
