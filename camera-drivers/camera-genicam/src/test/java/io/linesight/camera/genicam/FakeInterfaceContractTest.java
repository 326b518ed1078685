/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.testkit.CameraContract;
import io.linesight.config.station.CameraConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The camera contract against Aravis' in-process fake camera, through the real libaravis and our FFM binding. */
@DisplayName("CameraContract: Aravis in-process fake interface")
class FakeInterfaceContractTest extends CameraContract {

    @BeforeAll
    static void aravis() {
        Aravis.assumeInstalled();
    }

    @Override
    protected CameraConfig config() {
        return Aravis.fake("fake-inproc");
    }
}
