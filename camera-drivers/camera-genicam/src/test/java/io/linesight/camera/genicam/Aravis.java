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

    /**
     * Skips the calling test when libaravis-0.8 is absent (.ci/install-aravis.sh installs it); in CI (environment
     * variable {@code CI} set) a missing Aravis fails the test instead, so a broken install cannot pass as skipped.
     */
    static void assumeInstalled() {
        peer(ArvLib.orNull() != null, ArvLib.unavailableReason() + " (run .ci/install-aravis.sh)");
    }

    /** Skips where {@code present} is false, or fails in CI. */
    static void peer(boolean present, String why) {
        if (System.getenv("CI") != null) {
            if (!present) {
                throw new AssertionError("a test peer is missing in CI: " + why);
            }
        } else {
            assumeTrue(present, why);
        }
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
