/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import io.linesight.camera.testkit.CameraContract;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class ReplayCameraContractTest extends CameraContract {
    @TempDir
    static Path folder;

    @BeforeAll
    static void writeImages() {
        for (int i = 0; i < 5; i++) {
            TestImages.grey8(folder.resolve("frame_" + i + ".png"), 64, 48, 10 * i);
        }
    }

    @Override
    protected CameraConfig config() {
        return new CameraConfig("replayed", "replay", folder.toString(), 64, 48, PixelFormat.MONO8, TriggerMode.SOFTWARE,
                1000, Map.of("buffers", "3"));
    }

    @Override
    protected int poolSize() {
        return 3;
    }
}
