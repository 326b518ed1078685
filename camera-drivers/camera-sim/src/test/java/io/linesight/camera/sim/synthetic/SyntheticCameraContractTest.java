/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.testkit.CameraContract;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.Map;

class SyntheticCameraContractTest extends CameraContract {

    @Override
    protected CameraConfig config() {
        return new CameraConfig("contract", "synthetic", null, 320, 256, PixelFormat.MONO8, TriggerMode.SOFTWARE, 1000,
                Map.of("buffers", "4", "defectRate", "0.5"));
    }

    @Override
    protected int poolSize() {
        return 4;
    }
}
