/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import java.nio.ByteBuffer;
import org.bytedeco.spinnaker.global.Spinnaker_C.spinPixelFormatEnums;

/**
 * An image as the SDK would describe it, held in a heap buffer: the stand-in for a Spinnaker image, since no SDK and
 * no FLIR camera can exist on the build machines. Reading past its data fails the test (an over-read).
 */
record FakeImage(long width, long height, long stride, int pixelFormat, ByteBuffer bytes, boolean incomplete, String problem,
        long frameId) implements GrabbedImage {

    /** A {@code format} image whose pixel at (x, y) is {@code (x + 3 y + seed) & 0xFF} (each byte, for 16-bit), rows {@code stride} apart. */
    static FakeImage of(String format, int width, int height, int bytesPerPixel, int stride, int seed) {
        ByteBuffer data = ByteBuffer.allocate(stride * height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width * bytesPerPixel; x++) {
                data.put(y * stride + x, (byte) (x + 3 * y + seed));
            }
            for (int pad = width * bytesPerPixel; pad < stride; pad++) {
                data.put(y * stride + pad, (byte) 0xEE); // padding must never reach the frame
            }
        }
        return new FakeImage(width, height, stride, format(format), data, false, "", seed);
    }

    static int format(String symbol) {
        return spinPixelFormatEnums.valueOf("PixelFormat_" + symbol).value;
    }

    FakeImage truncatedTo(int bytesLeft) {
        return new FakeImage(width, height, stride, pixelFormat, bytes.slice(0, bytesLeft), incomplete, problem, frameId);
    }

    FakeImage markedIncomplete(String why) {
        return new FakeImage(width, height, stride, pixelFormat, bytes, true, why, frameId);
    }

    @Override
    public long dataBytes() {
        return bytes.capacity();
    }

    @Override
    public ByteBuffer data(long wanted) {
        if (wanted > bytes.capacity()) {
            throw new AssertionError("over-read: " + wanted + " bytes asked of a " + bytes.capacity() + "-byte image");
        }
        return bytes.slice(0, (int) wanted).asReadOnlyBuffer();
    }

    @Override
    public long timestampNs() {
        return frameId * 1_000;
    }
}
