/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenicamOptionsTest {
    private static GenicamOptions parse(String device, PixelFormat f, Map<String, String> options) throws CameraException {
        return GenicamOptions.parse(Aravis.config("top", device, 640, 480, f, TriggerMode.SOFTWARE, options));
    }

    @Test
    void defaults_areLoopbackFriendly_andUseA4MbSocketBuffer() throws Exception {
        GenicamOptions o = parse("cam1", PixelFormat.MONO8, Map.of());
        assertThat(o.socketBufferBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(o.packetSocketFor("127.0.0.1")).isFalse();
        assertThat(o.packetSocketFor("192.168.10.20")).isTrue();
        assertThat(o.fake()).isFalse();
        assertThat(o.triggerLine()).isEqualTo("Line0");
    }

    @Test
    void fakeDevice_enablesTheFakeInterface_andTriggerGating() throws Exception {
        GenicamOptions o = parse("Fake_1", PixelFormat.MONO8, Map.of());
        assertThat(o.fake()).isTrue();
        CameraInfo fake = new CameraInfo("genicam", "Fake_1", "Aravis", "Fake", "1", "0.0.0.0");
        CameraInfo real = new CameraInfo("genicam", "Basler-123", "Basler", "acA1920", "123", "10.0.0.5");
        assertThat(o.gateUntriggeredFor(fake)).isTrue();
        assertThat(o.gateUntriggeredFor(real)).isFalse();
        assertThat(o.minTriggerIntervalMsFor(fake)).isEqualTo(GenicamOptions.FAKE_TRIGGER_INTERVAL_MS);
        assertThat(o.minTriggerIntervalMsFor(real)).isZero();
    }

    @Test
    void explicitOptions_override() throws Exception {
        GenicamOptions o = parse("cam1", PixelFormat.MONO12, Map.of("packetSocket", "true", "packetSize", "9000",
                "packetDelay", "2000", "wirePixelFormat", "Mono12p", "minTriggerIntervalMs", "5"));
        assertThat(o.packetSocketFor("127.0.0.1")).isTrue();
        assertThat(o.packetSize()).isEqualTo(9000);
        assertThat(o.packetDelayNs()).isEqualTo(2000);
        assertThat(o.wirePixelFormat()).isEqualTo("Mono12p");
        assertThat(o.minTriggerIntervalMsFor(new CameraInfo("genicam", "x", "Aravis", "Fake", "", ""))).isEqualTo(5);
    }

    @Test
    void badOptions_areAllReported_eachNamingItsPath() {
        assertThatThrownBy(() -> parse("cam1", PixelFormat.MONO8, Map.of("packetSize", "big", "socketBufferBytes",
                "-1", "packetSockt", "true", "wirePixelFormat", "Mono12p")))
                .isInstanceOf(CameraException.class)
                .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.BAD_SETTING))
                .hasMessageContaining("cameras[top].options.packetSize: rejected 'big'")
                .hasMessageContaining("cameras[top].options.socketBufferBytes: rejected -1")
                .hasMessageContaining("cameras[top].options.packetSockt: unknown option")
                .hasMessageContaining("cameras[top].options.wirePixelFormat: Mono12p does not deliver pixelFormat mono8");
    }
}
