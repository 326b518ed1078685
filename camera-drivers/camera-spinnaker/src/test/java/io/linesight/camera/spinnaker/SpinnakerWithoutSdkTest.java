/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProvider;
import io.linesight.camera.api.CameraProviders;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider on a machine without the Spinnaker SDK, which is every build machine of this project: the SDK is a
 * FLIR download behind a login and cannot be installed here. These tests check that its absence is reported
 * clearly and harms nothing; they skip where an SDK is installed.
 */
class SpinnakerWithoutSdkTest {
    @BeforeEach
    void noSdkHere() {
        assumeFalse(SpinnakerRuntime.available(), "a Spinnaker SDK is installed here: " + SpinnakerRuntime.library());
    }

    @Test
    void provider_isRegistered_andReportsTheMissingSdkExactly() {
        CameraProvider p = CameraProviders.all().stream().filter(x -> x.id().equals("spinnaker")).findFirst()
                .orElseThrow();
        assertThat(p.available()).isFalse();
        assertThat(p.unavailableReason()).isEqualTo("spinnaker: SDK not found (libSpinnaker_C.so)");
    }

    @Test
    void byId_openAndDiscover_failWithDriverMissing_notWithALinkageError() {
        assertThatThrownBy(() -> CameraProviders.byId("spinnaker"))
                .isInstanceOf(CameraException.class)
                .hasMessage("spinnaker: SDK not found (libSpinnaker_C.so)")
                .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.DRIVER_MISSING));
        SpinnakerProvider direct = new SpinnakerProvider();
        CameraConfig cfg = new CameraConfig("top", "spinnaker", "12345678", 640, 480, PixelFormat.MONO8,
                TriggerMode.SOFTWARE, 1000, Map.of());
        assertThatThrownBy(() -> direct.open(cfg)).isInstanceOf(CameraException.class)
                .hasMessage("spinnaker: SDK not found (libSpinnaker_C.so)");
        assertThatThrownBy(direct::discover).isInstanceOf(CameraException.class)
                .hasMessage("spinnaker: SDK not found (libSpinnaker_C.so)");
    }

    @Test
    void otherProviders_stillLoad_besideTheUnavailableOne() {
        // ServiceLoader must not fail on this provider: listing every driver still works
        assertThat(CameraProviders.all()).extracting(CameraProvider::id).contains("spinnaker");
    }
}
