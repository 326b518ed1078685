/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.Map;

/** Test helpers: skip (with the reason) where Aravis is not installed; build camera configs. */
final class Aravis {
    private Aravis() {
    }

    /** Skips the calling test when libaravis-0.8 is absent; .ci/install-aravis.sh installs it. */
    static void assumeInstalled() {
        assumeTrue(ArvLib.orNull() != null, () -> ArvLib.unavailableReason() + " (run .ci/install-aravis.sh)");
    }

    static CameraConfig config(String id, String device, int width, int height, PixelFormat format, TriggerMode mode,
            Map<String, String> options) {
        return new CameraConfig(id, "genicam", device, width, height, format, mode, 1000, options);
    }

    /** The in-process fake camera (Aravis' "Fake" interface), software-triggered. */
    static CameraConfig fake(String id) {
        return config(id, "Fake_1", 512, 512, PixelFormat.MONO8, TriggerMode.SOFTWARE, Map.of("fake", "true"));
    }
}
