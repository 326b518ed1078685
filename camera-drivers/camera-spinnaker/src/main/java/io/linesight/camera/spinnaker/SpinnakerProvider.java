/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.config.station.CameraConfig;
import java.util.List;

/**
 * FLIR cameras through the Spinnaker SDK's C API (JavaCPP presets {@code org.bytedeco:spinnaker}). The SDK is an
 * optional install: without {@code libSpinnaker_C.so} this provider reports itself unavailable with
 * {@value SpinnakerRuntime#MISSING} and never touches the presets, so nothing else in the station is affected.
 */
public final class SpinnakerProvider implements CameraProvider {
    public static final String ID = "spinnaker";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean available() {
        return SpinnakerRuntime.available();
    }

    @Override
    public String unavailableReason() {
        return SpinnakerRuntime.unavailableReason();
    }

    @Override
    public List<CameraInfo> discover() throws CameraException {
        require();
        return SpinnakerSystem.get().cameras();
    }

    @Override
    public Camera open(CameraConfig config) throws CameraException {
        require();
        SpinnakerOptions options = SpinnakerOptions.parse(config);
        return SpinnakerCamera.open(SpinnakerSystem.get(), config, options);
    }

    private static void require() throws CameraException {
        if (!SpinnakerRuntime.available()) {
            throw new CameraException(CameraException.Code.DRIVER_MISSING, SpinnakerRuntime.MISSING);
        }
    }
}
