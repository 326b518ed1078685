/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.config.station.CameraConfig;
import java.util.List;

/**
 * GenICam cameras (GigE Vision, USB3 Vision) through Aravis 0.8, bound with the FFM API. Loading this provider
 * touches nothing; the library is bound on the first {@link #available()}, {@link #discover()} or {@link #open}.
 *
 * <p>The in-process fake camera ({@code Fake_1}) joins discovery when a camera config asks for it
 * ({@code options.fake: true} or {@code device: Fake_1}) or when the system property
 * {@code linesight.genicam.fake=true} is set (for {@code ./station cameras}).
 */
public final class GenicamProvider implements CameraProvider {
    public static final String ID = "genicam";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean available() {
        return ArvLib.orNull() != null;
    }

    @Override
    public String unavailableReason() {
        return ArvLib.unavailableReason();
    }

    @Override
    public List<CameraInfo> discover() throws CameraException {
        ArvLib lib = require();
        if (Boolean.getBoolean("linesight.genicam.fake")) {
            ArvDiscovery.enableFake(lib);
        }
        return ArvDiscovery.devices(lib);
    }

    @Override
    public Camera open(CameraConfig config) throws CameraException {
        ArvLib lib = require();
        GenicamOptions options = GenicamOptions.parse(config);
        if (options.fake()) {
            ArvDiscovery.enableFake(lib);
        }
        return GenicamCamera.open(lib, config, options);
    }

    private static ArvLib require() throws CameraException {
        ArvLib lib = ArvLib.orNull();
        if (lib == null) {
            throw new CameraException(CameraException.Code.DRIVER_MISSING, ArvLib.unavailableReason());
        }
        return lib;
    }
}
