/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.CameraException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of the acquisition thread ({@code spinnaker-acq-<id>}): takes images from the source while running, hands
 * each to {@code deliver} and gives it back. A lost device ends the loop with one call of {@code lost}. So does
 * anything that escapes a delivery (a bug, or an Error from the sink): reported as a fault, so the camera reconnects
 * and the station sees the camera failing, never an acquisition thread that died silently.
 */
final class AcquisitionLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AcquisitionLoop.class);
    static final long GRAB_TIMEOUT_MS = 100;

    private final String cameraId;
    private final ImageSource source;
    private final BooleanSupplier running;
    private final Consumer<GrabbedImage> deliver;
    private final Consumer<CameraException> lost;

    AcquisitionLoop(String cameraId, ImageSource source, BooleanSupplier running, Consumer<GrabbedImage> deliver,
            Consumer<CameraException> lost) {
        this.cameraId = cameraId;
        this.source = source;
        this.running = running;
        this.deliver = deliver;
        this.lost = lost;
    }

    @Override
    public void run() {
        try {
            while (running.getAsBoolean()) {
                @Nullable GrabbedImage image;
                try {
                    image = source.next(GRAB_TIMEOUT_MS);
                } catch (CameraException e) {
                    if (e.code() == CameraException.Code.NOT_CONNECTED) {
                        lost.accept(e);
                        return;
                    }
                    LOG.atWarn().setMessage("GetNextImage failed").addKeyValue("camera", cameraId).addKeyValue("error", e.getMessage()).log();
                    continue;
                }
                if (image == null) {
                    continue;
                }
                try {
                    deliver.accept(image);
                } finally {
                    source.release(image);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.atError().setMessage("acquisition thread failed").addKeyValue("camera", cameraId).setCause(e).log();
            lost.accept(new CameraException(CameraException.Code.DEVICE_ERROR, "spinnaker: cameras[" + cameraId
                    + "]: acquisition failed: " + e));
        } finally {
            source.close();
        }
    }
}
