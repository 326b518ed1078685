/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code synthetic} camera driver: renders machined brackets, some with defects and ground truth, so the whole
 * station runs without hardware. {@code cameras[].device} is ignored; options: {@code seed}, {@code defectRate},
 * {@code buffers}, {@code readoutMs}, {@code fps}, {@code dropEvery}. Software trigger and free run; no hardware
 * trigger.
 */
public final class SyntheticCameraProvider implements CameraProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticCameraProvider.class);
    static final CameraInfo INFO = new CameraInfo("synthetic", "synthetic-0", "Linesight", "Synthetic bracket", "0", "");

    @Override
    public String id() {
        return "synthetic";
    }

    @Override
    public List<CameraInfo> discover() {
        return List.of(INFO);
    }

    @Override
    public Camera open(CameraConfig config) throws CameraException {
        SyntheticOptions options = SyntheticOptions.of(config);
        if (config.triggerMode() == TriggerMode.HARDWARE && options.linePort() == 0) {
            throw new CameraException(CameraException.Code.BAD_SETTING, "cameras[" + config.id()
                    + "].triggerMode: hardware needs the synthetic camera's line input: options.line: \"udp:PORT\" "
                    + "(each datagram on that loopback port is one line edge); or use software or free_run");
        }
        long frameBytes = (long) config.width() * config.height() * config.pixelFormat().bytesPerPixel();
        if (frameBytes > Integer.MAX_VALUE) {
            throw new CameraException(CameraException.Code.BAD_SETTING, "cameras[" + config.id() + "]: a "
                    + config.width() + "x" + config.height() + " " + config.pixelFormat() + " frame exceeds 2 GiB");
        }
        SyntheticCamera camera = new SyntheticCamera(config, INFO, options);
        LOG.atInfo().addKeyValue("camera", config.id()).addKeyValue("size", config.width() + "x" + config.height())
                .addKeyValue("format", config.pixelFormat()).addKeyValue("seed", options.seed())
                .addKeyValue("defectRate", options.defectRate()).log("synthetic camera open");
        if (options.dropEvery() > 0) {
            LOG.atWarn().addKeyValue("camera", config.id()).addKeyValue("dropEvery", options.dropEvery())
                    .log("fault injection: every {}th trigger gives no frame", options.dropEvery());
        }
        if (config.pixelFormat() != PixelFormat.MONO8 && config.pixelFormat() != PixelFormat.MONO16) {
            LOG.atDebug().addKeyValue("camera", config.id())
                    .log("16-bit format other than mono16: the 8-bit image is scaled to the format's range");
        }
        return camera;
    }
}
