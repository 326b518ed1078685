/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.config.station.CameraConfig;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.spinnaker.global.Spinnaker_C.spinPixelFormatEnums;
import org.jspecify.annotations.Nullable;

/**
 * Whether a grabbed image is the image the station configured, before a byte of it is copied: its width, height and
 * pixel format must be the configuration's, its stride must hold a row, and its data must hold every row. The frame
 * buffers are sized from the configuration, so copying anything else would read past the image (a smaller one) or
 * leave an earlier image's pixels in the buffer (a shorter one) and have them judged as this part. Like the GenICam
 * driver, a mismatch makes the frame incomplete, with the reason.
 */
final class ImageCheck {
    private final int width;
    private final int height;
    private final int rowBytes;
    private final int expectedFormat;
    private final String expectedFormatName;

    /** @param formatSymbol the SDK pixel format the images must have after any conversion ({@code Mono8}, {@code Mono16}) */
    ImageCheck(CameraConfig config, String formatSymbol) {
        this.width = config.width();
        this.height = config.height();
        this.rowBytes = config.width() * config.pixelFormat().bytesPerPixel();
        this.expectedFormat = spinPixelFormatEnums.valueOf("PixelFormat_" + formatSymbol).value;
        this.expectedFormatName = formatSymbol;
    }

    /** Why {@code image} cannot be copied as the configured frame, or null when it can. */
    @Nullable String mismatch(GrabbedImage image) {
        if (image.width() != width || image.height() != height) {
            return "image is " + image.width() + "x" + image.height() + ", configured " + width + "x" + height;
        }
        if (image.pixelFormat() != expectedFormat) {
            return "image pixel format is " + formatName(image.pixelFormat()) + ", expected " + expectedFormatName;
        }
        if (image.stride() < rowBytes) {
            return "row stride of " + image.stride() + " bytes is shorter than a " + width + "-pixel row (" + rowBytes + " bytes)";
        }
        long needed = bytesNeeded(image.stride());
        if (needed > image.dataBytes() || needed > Integer.MAX_VALUE) {
            return "image holds " + image.dataBytes() + " bytes of data; " + width + "x" + height + " with a stride of "
                    + image.stride() + " bytes needs " + needed;
        }
        return null;
    }

    /** Bytes from the first pixel to the last one: every row's stride but the last row's padding. */
    long bytesNeeded(long stride) {
        return stride * (height - 1) + rowBytes;
    }

    int rowBytes() {
        return rowBytes;
    }

    int height() {
        return height;
    }

    /** {@code Mono12p} for the SDK's value, or the number when the presets do not know it. */
    static String formatName(int value) {
        return Arrays.stream(spinPixelFormatEnums.values()).filter(f -> f.value == value).findFirst()
                .map(f -> f.name().replaceFirst("^PixelFormat_", ""))
                .orElse(String.format(Locale.ROOT, "0x%08X", value));
    }
}
