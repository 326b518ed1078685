/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.CameraSettings;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery and generic feature access through the real libaravis, on its in-process fake camera. */
class FakeInterfaceFeaturesTest {
    private @Nullable GenicamCamera camera;

    @BeforeEach
    void open() throws Exception {
        Aravis.assumeInstalled();
        camera = (GenicamCamera) CameraProviders.byId("genicam").open(Aravis.fake("feat"));
    }

    @AfterEach
    void close() {
        GenicamCamera c = camera;
        if (c != null) {
            c.close();
        }
    }

    private GenicamCamera cam() {
        return java.util.Objects.requireNonNull(camera);
    }

    @Test
    void provider_isAvailable_andDiscoversTheFake_withVendorModelSerial() throws Exception {
        CameraProvider p = CameraProviders.byId("genicam");
        assertThat(p.available()).isTrue();
        assertThat(p.unavailableReason()).isEmpty();
        assertThat(p.discover()).extracting(CameraInfo::id).contains("Fake_1");
        CameraInfo info = cam().info();
        assertThat(info.driver()).isEqualTo("genicam");
        assertThat(info.vendor()).isNotEmpty();
        assertThat(info.model()).isNotEmpty();
    }

    @Test
    void genericFeatures_ofEveryType_roundTrip() throws Exception {
        GenicamCamera c = cam();
        c.setFeature("Width", "256"); // integer
        assertThat(c.feature("Width")).isEqualTo("256");
        c.setFeature("ExposureTimeAbs", "1234"); // float
        assertThat(Double.parseDouble(c.feature("ExposureTimeAbs"))).isEqualTo(1234.0);
        c.setFeature("TriggerSource", "Line0"); // enumeration
        assertThat(c.feature("TriggerSource")).isEqualTo("Line0");
        c.setFeature("TestBoolean", "true"); // boolean
        assertThat(c.feature("TestBoolean")).isEqualTo("true");
        c.setFeature("TestBoolean", "off");
        assertThat(c.feature("TestBoolean")).isEqualTo("false");
        assertThat(c.feature("DeviceVendorName")).isNotEmpty(); // string
        c.setFeature("TriggerSoftware", ""); // command: executes, has no value
        assertThat(c.feature("TriggerSoftware")).isEmpty();
    }

    @Test
    void settingsFeatures_areApplied_andABadOneNamesTheFeature() throws Exception {
        GenicamCamera c = cam();
        c.configure(new CameraSettings(1_500, 2, Map.of("BinningHorizontal", "1")));
        assertThat(c.feature("BinningHorizontal")).isEqualTo("1");
        assertThatThrownBy(() -> c.configure(new CameraSettings(1_500, 2, Map.of("NoSuchFeature", "3"))))
                .isInstanceOf(CameraException.class)
                .hasMessageContaining("NoSuchFeature")
                .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.BAD_SETTING));
        assertThatThrownBy(() -> c.setFeature("TestBoolean", "maybe"))
                .hasMessageContaining("TestBoolean is boolean, cannot take 'maybe'");
        assertThatThrownBy(() -> c.setFeature("Width", "wide")).hasMessageContaining("Width is integer");
    }

    @Test
    void unsupportedPixelFormat_isRefusedAtOpen_namingTheField() {
        assertThatThrownBy(() -> CameraProviders.byId("genicam").open(Aravis.config("f12", "Fake_1", 64, 64,
                PixelFormat.MONO12, TriggerMode.SOFTWARE, Map.of())))
                .isInstanceOf(CameraException.class)
                .hasMessageContaining("cameras[f12].pixelFormat")
                .hasMessageContaining("Mono12p");
    }

    @Test
    void mono16_isDeliveredAsTwoBytesPerPixel() throws Exception {
        try (GenicamCamera c16 = (GenicamCamera) CameraProviders.byId("genicam").open(Aravis.config("f16", "Fake_1",
                64, 48, PixelFormat.MONO16, TriggerMode.SOFTWARE, Map.of()))) {
            io.linesight.camera.testkit.FrameCollector sink = new io.linesight.camera.testkit.FrameCollector(false);
            c16.start(sink);
            c16.trigger(new io.linesight.camera.api.TriggerTag("p", "s"));
            io.linesight.camera.api.Frame f = sink.poll(3_000);
            assertThat(f).isNotNull();
            try {
                assertThat(f.pixelFormat()).isEqualTo(PixelFormat.MONO16);
                assertThat(f.stride()).isEqualTo(128);
                assertThat(f.pixels().remaining()).isEqualTo(64 * 48 * 2);
            } finally {
                f.close();
            }
        }
    }

    @Test
    void unknownDevice_isRefused_listingWhatWasFound() {
        assertThatThrownBy(() -> CameraProviders.byId("genicam").open(Aravis.config("x", "no-such-camera", 64, 64,
                PixelFormat.MONO8, TriggerMode.SOFTWARE, Map.of("fake", "true"))))
                .isInstanceOf(CameraException.class)
                .hasMessageContaining("cameras[x].device 'no-such-camera' not found")
                .hasMessageContaining("Fake_1");
    }
}
