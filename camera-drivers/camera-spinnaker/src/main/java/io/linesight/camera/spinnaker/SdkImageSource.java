/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraGetNextImageEx;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageCreateEmpty;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageDestroy;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetBufferSize;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetData;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetFrameID;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetHeight;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetPixelFormat;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetStatus;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetStride;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetTimeStamp;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetValidPayloadSize;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageGetWidth;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageIsIncomplete;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageProcessorConvert;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageProcessorCreate;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageProcessorDestroy;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinImageRelease;

import io.linesight.camera.api.CameraException;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.spinnaker.Spinnaker_C.spinCamera;
import org.bytedeco.spinnaker.Spinnaker_C.spinImage;
import org.bytedeco.spinnaker.Spinnaker_C.spinImageProcessor;
import org.bytedeco.spinnaker.global.Spinnaker_C.spinPixelFormatEnums;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's image stream of one camera: {@code spinCameraGetNextImageEx}, and for packed wire formats the SDK's
 * image processor converting to Mono16. The image handles, the processor and the scratch pointers are allocated once
 * per acquisition run, not per image.
 *
 * <p>Not exercised here: the SDK cannot be installed on the build machines (see the README). What the delivery does
 * with the values read here is tested through {@link GrabbedImage} with a fake source.
 */
final class SdkImageSource implements ImageSource {
    private final String cameraId;
    private final spinCamera camera;
    private final boolean convert;
    private final spinImage raw = new spinImage();
    private final spinImage converted = new spinImage();
    private final spinImageProcessor processor = new spinImageProcessor();
    private final SdkImage view = new SdkImage();
    private final SizeTPointer size = new SizeTPointer(1);
    private final PointerPointer<BytePointer> data = new PointerPointer<>(1);
    private final byte[] flag = new byte[1];
    private final int[] integer = new int[1];
    private final long[] number = new long[1];
    private boolean closed;

    /** @param convert whether images arrive packed and must be converted to Mono16 */
    SdkImageSource(String cameraId, spinCamera camera, boolean convert) {
        this.cameraId = cameraId;
        this.camera = camera;
        this.convert = convert;
        if (convert) {
            spinImageCreateEmpty(converted);
            spinImageProcessorCreate(processor);
        }
    }

    @Override
    public @Nullable GrabbedImage next(long timeoutMs) throws CameraException {
        int err = spinCameraGetNextImageEx(camera, timeoutMs, raw).value;
        if (err == SpinErrors.TIMEOUT) {
            return null;
        }
        if (err != SpinErrors.SUCCESS) {
            throw SpinErrors.exception(err, cameraId, "GetNextImage", SpinNodes.lastMessage());
        }
        spinImageIsIncomplete(raw, flag);
        boolean incomplete = flag[0] != 0;
        String problem = "";
        if (incomplete) {
            spinImageGetStatus(raw, integer);
            problem = "the SDK marked the image incomplete (image status " + integer[0] + ")";
        }
        spinImageGetFrameID(raw, number);
        long frameId = number[0];
        spinImageGetTimeStamp(raw, number);
        long timestamp = number[0];
        spinImage pixels = raw;
        if (convert && !incomplete) {
            int converr = spinImageProcessorConvert(processor, raw, converted, spinPixelFormatEnums.PixelFormat_Mono16).value;
            if (converr == SpinErrors.SUCCESS) {
                pixels = converted;
            } else {
                incomplete = true;
                problem = "the SDK could not convert the image to Mono16: " + SpinErrors.name(converr);
            }
        }
        view.load(pixels, incomplete, problem, frameId, timestamp);
        return view;
    }

    @Override
    public void release(GrabbedImage image) {
        spinImageRelease(raw);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (convert) {
            spinImageDestroy(converted);
            spinImageProcessorDestroy(processor);
        }
        size.close();
        data.close();
    }

    private long sizeT(int err) {
        return err == SpinErrors.SUCCESS ? size.get() : -1;
    }

    /** What one SDK image says about itself, read once when it arrives. */
    private final class SdkImage implements GrabbedImage {
        private spinImage image = raw;
        private boolean incomplete;
        private String problem = "";
        private long width;
        private long height;
        private long stride;
        private int pixelFormat;
        private long dataBytes;
        private long frameId;
        private long timestampNs;

        void load(spinImage pixels, boolean isIncomplete, String why, long id, long timestamp) {
            image = pixels;
            incomplete = isIncomplete;
            problem = why;
            frameId = id;
            timestampNs = timestamp;
            width = sizeT(spinImageGetWidth(pixels, size).value);
            height = sizeT(spinImageGetHeight(pixels, size).value);
            stride = sizeT(spinImageGetStride(pixels, size).value);
            pixelFormat = spinImageGetPixelFormat(pixels, integer).value == SpinErrors.SUCCESS ? integer[0] : -1;
            // never read past the SDK's buffer, nor past the payload the camera actually sent (when the SDK says)
            long buffer = Math.max(0, sizeT(spinImageGetBufferSize(pixels, size).value));
            long payload = pixels == raw ? sizeT(spinImageGetValidPayloadSize(pixels, size).value) : -1;
            dataBytes = payload > 0 ? Math.min(buffer, payload) : buffer;
        }

        @Override
        public boolean incomplete() {
            return incomplete;
        }

        @Override
        public String problem() {
            return problem;
        }

        @Override
        public long width() {
            return width;
        }

        @Override
        public long height() {
            return height;
        }

        @Override
        public long stride() {
            return stride;
        }

        @Override
        public int pixelFormat() {
            return pixelFormat;
        }

        @Override
        public long dataBytes() {
            return dataBytes;
        }

        @Override
        public ByteBuffer data(long bytes) {
            spinImageGetData(image, data);
            return data.get(BytePointer.class, 0).capacity(Math.min(bytes, dataBytes)).asBuffer();
        }

        @Override
        public long frameId() {
            return frameId;
        }

        @Override
        public long timestampNs() {
            return timestampNs;
        }
    }
}
