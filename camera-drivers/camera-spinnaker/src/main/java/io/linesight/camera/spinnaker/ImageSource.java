/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.CameraException;
import org.jspecify.annotations.Nullable;

/**
 * Where the acquisition loop gets images: the SDK's stream ({@link SdkImageSource}), or a fake in tests. Used by the
 * acquisition thread only.
 */
interface ImageSource extends AutoCloseable {

    /**
     * The next image, waiting up to {@code timeoutMs}; null when none came. The image must be given back with
     * {@link #release} before the next call.
     *
     * @throws CameraException {@link CameraException.Code#NOT_CONNECTED} when the device is lost (the loop ends and the
     *                         camera reconnects); any other code for one failed grab (logged, the loop goes on)
     */
    @Nullable GrabbedImage next(long timeoutMs) throws CameraException;

    /** Gives the image back to the SDK. */
    void release(GrabbedImage image);

    /** Frees what the source holds; idempotent. */
    @Override
    void close();
}
