/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.testkit.CameraContract;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The camera contract against a real {@code arv-fake-gv-camera-0.8} process over GigE Vision on loopback: GVCP
 * control, GVSP streaming over UDP, our buffer ring and the socket-buffer option all take part.
 */
@DisplayName("CameraContract: arv-fake-gv-camera over GigE Vision on loopback")
class FakeGvContractTest extends CameraContract {
    private static @Nullable FakeGvCamera gv;

    @BeforeAll
    static void startCamera() throws Exception {
        FakeGvCamera.assumeInstalled();
        FakeGvCamera c = new FakeGvCamera("LSGVC" + ProcessHandle.current().pid() % 1000);
        gv = c;
        c.start();
    }

    @AfterAll
    static void stopCamera() throws Exception {
        FakeGvCamera c = gv;
        if (c != null) {
            c.close();
        }
    }

    @Override
    protected CameraConfig config() {
        FakeGvCamera c = java.util.Objects.requireNonNull(gv);
        // 320x240 (77 kB) fits the kernel's default socket buffer (rmem_default, 208 kB): on a loaded machine we
        // saw the first 640x480 frame of a session lose packets despite the 4 MB socket buffer option (flagged
        // incomplete, correctly; this suite is about the contract, AcquisitionBench about bandwidth)
        // The fake answers a software trigger on its next 40 ms tick and loses it when that tick comes late; on a loaded
        // CI machine 90 ms spacing (the driver's default for fakes) lost 1 trigger in 20 once, so the suite spaces 200 ms.
        return Aravis.config("gv", c.serial(), 320, 240, PixelFormat.MONO8, TriggerMode.SOFTWARE,
                Map.of("minTriggerIntervalMs", "200"));
    }
}
