/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraSettings;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.util.Map;
import org.bytedeco.spinnaker.global.Spinnaker_C;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The mapping from station config to Spinnaker nodes, and of Spinnaker errors to the station's codes. No SDK exists
 * on the build machines, so this is checked as data; only the presets' Java enums (no native code) are touched.
 */
class SpinnakerMappingTest {
    private static CameraConfig config(TriggerMode mode, PixelFormat f, Map<String, String> options) {
        return new CameraConfig("top", "spinnaker", "20123456", 1440, 1080, f, mode, 1000, options);
    }

    private static SpinnakerOptions options(CameraConfig c) throws CameraException {
        return SpinnakerOptions.parse(c);
    }

    @Nested
    class PixelFormats {
        @Test
        void mono8And16_areTakenAsTheyAre() {
            assertThat(SpinnakerMapping.pixelFormats(PixelFormat.MONO8)).singleElement()
                    .satisfies(w -> assertThat(w.symbol()).isEqualTo("Mono8"))
                    .satisfies(w -> assertThat(w.convert()).isFalse());
            assertThat(SpinnakerMapping.pixelFormats(PixelFormat.MONO16)).singleElement()
                    .satisfies(w -> assertThat(w.symbol()).isEqualTo("Mono16"));
        }

        @Test
        void mono12_prefersUnpacked_thenPackedWithSdkConversion() {
            assertThat(SpinnakerMapping.pixelFormats(PixelFormat.MONO12))
                    .extracting(SpinnakerMapping.WirePixelFormat::symbol)
                    .containsExactly("Mono12", "Mono12p", "Mono12Packed");
            assertThat(SpinnakerMapping.pixelFormats(PixelFormat.MONO12))
                    .extracting(SpinnakerMapping.WirePixelFormat::convert).containsExactly(false, true, true);
            assertThat(SpinnakerMapping.pixelFormats(PixelFormat.MONO10))
                    .extracting(SpinnakerMapping.WirePixelFormat::symbol)
                    .containsExactly("Mono10", "Mono10p", "Mono10Packed");
        }

        @Test
        void everySymbol_isAPixelFormatTheSdkKnows() {
            for (PixelFormat f : PixelFormat.values()) {
                for (SpinnakerMapping.WirePixelFormat w : SpinnakerMapping.pixelFormats(f)) {
                    assertThat(Spinnaker_C.spinPixelFormatEnums.valueOf("PixelFormat_" + w.symbol())).isNotNull();
                }
            }
        }
    }

    @Nested
    class Triggers {
        @Test
        void software_turnsTheModeOffFirst_andOnLast() throws Exception {
            CameraConfig c = config(TriggerMode.SOFTWARE, PixelFormat.MONO8, Map.of());
            assertThat(SpinnakerMapping.triggerPlan(c.triggerMode(), options(c))).extracting(NodeWrite::toString)
                    .containsExactly("TriggerMode=Off", "TriggerSelector=FrameStart", "TriggerSource=Software",
                            "TriggerMode=On");
        }

        @Test
        void hardware_usesTheConfiguredLineAndEdge() throws Exception {
            CameraConfig c = config(TriggerMode.HARDWARE, PixelFormat.MONO8,
                    Map.of("triggerLine", "Line3", "triggerActivation", "FallingEdge"));
            assertThat(SpinnakerMapping.triggerPlan(c.triggerMode(), options(c))).extracting(NodeWrite::toString)
                    .containsExactly("TriggerMode=Off", "TriggerSelector=FrameStart", "TriggerSource=Line3",
                            "TriggerActivation=FallingEdge", "TriggerMode=On");
        }

        @Test
        void freeRun_setsTheFrameRateOnlyWhenAsked() throws Exception {
            CameraConfig plain = config(TriggerMode.FREE_RUN, PixelFormat.MONO8, Map.of());
            assertThat(SpinnakerMapping.triggerPlan(plain.triggerMode(), options(plain)))
                    .extracting(NodeWrite::toString).containsExactly("TriggerMode=Off");
            CameraConfig rated = config(TriggerMode.FREE_RUN, PixelFormat.MONO8, Map.of("frameRate", "30"));
            assertThat(SpinnakerMapping.triggerPlan(rated.triggerMode(), options(rated)))
                    .extracting(NodeWrite::toString)
                    .containsExactly("TriggerMode=Off", "AcquisitionFrameRateEnable=true", "AcquisitionFrameRate=30.0");
        }

        @Test
        void softwareTrigger_isTheSfncCommand() {
            assertThat(SpinnakerMapping.softwareTrigger().kind()).isEqualTo(NodeWrite.Kind.COMMAND);
            assertThat(SpinnakerMapping.softwareTrigger().node()).isEqualTo("TriggerSoftware");
        }
    }

    @Test
    void openPlan_setsRegionWithOffsetsLast_andTheStrobeLine() throws Exception {
        CameraConfig c = config(TriggerMode.SOFTWARE, PixelFormat.MONO8,
                Map.of("offsetX", "16", "strobeLine", "Line1"));
        assertThat(SpinnakerMapping.openPlan(c, options(c))).extracting(NodeWrite::toString)
                .startsWith("OffsetX=0", "OffsetY=0", "Width=1440", "Height=1080", "OffsetX=16", "OffsetY=0",
                        "AcquisitionMode=Continuous")
                .endsWith("LineSelector=Line1", "LineMode=Output", "LineSource=ExposureActive");
    }

    @Test
    void settingsPlan_turnsAutoOff_thenValues_thenRecipeFeatures() {
        var plan = SpinnakerMapping.settingsPlan(new CameraSettings(2_000, 6, Map.of("BlackLevel", "1.5")));
        assertThat(plan).extracting(NodeWrite::toString).containsExactly("ExposureAuto=Off", "ExposureMode=Timed",
                "ExposureTime=2000.0", "GainAuto=Off", "Gain=6.0", "BlackLevel=1.5");
        assertThat(plan.get(0).optional()).as("cameras without auto exposure are fine").isTrue();
        assertThat(plan.get(2).optional()).as("exposure itself is required").isFalse();
        assertThat(plan.get(5).kind()).as("vendor features convert by their node type").isEqualTo(NodeWrite.Kind.ANY);
    }

    @Test
    void options_badValues_nameTheirPath() {
        assertThatThrownBy(() -> options(config(TriggerMode.SOFTWARE, PixelFormat.MONO8,
                Map.of("poolSize", "0", "frameRate", "fast", "bogus", "1"))))
                .isInstanceOf(CameraException.class)
                .hasMessageContaining("cameras[top].options.poolSize: rejected 0")
                .hasMessageContaining("cameras[top].options.frameRate: rejected 'fast'")
                .hasMessageContaining("cameras[top].options.bogus: unknown option");
    }

    @Test
    void minTriggerInterval_defaultsToNone_andRefusesANegativeValue() throws Exception {
        assertThat(options(config(TriggerMode.SOFTWARE, PixelFormat.MONO8, Map.of())).minTriggerIntervalMs()).isZero();
        assertThat(options(config(TriggerMode.SOFTWARE, PixelFormat.MONO8, Map.of("minTriggerIntervalMs", "25")))
                .minTriggerIntervalMs()).isEqualTo(25);
        assertThatThrownBy(() -> options(config(TriggerMode.SOFTWARE, PixelFormat.MONO8,
                Map.of("minTriggerIntervalMs", "-1"))))
                .hasMessageContaining("cameras[top].options.minTriggerIntervalMs: rejected -1");
    }

    @Nested
    class Errors {
        @Test
        void ourCodes_areThePresetsCodes() {
            assertThat(SpinErrors.SUCCESS).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_SUCCESS.value);
            assertThat(SpinErrors.IO).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_IO.value);
            assertThat(SpinErrors.TIMEOUT).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_TIMEOUT.value);
            assertThat(SpinErrors.INVALID_HANDLE).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_INVALID_HANDLE.value);
            assertThat(SpinErrors.NOT_AVAILABLE).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_NOT_AVAILABLE.value);
            assertThat(SpinErrors.INVALID_VALUE).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_INVALID_VALUE.value);
            assertThat(SpinErrors.BUSY).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_BUSY.value);
            assertThat(SpinErrors.GENICAM_OUT_OF_RANGE)
                    .isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_GENICAM_OUT_OF_RANGE.value);
            assertThat(SpinErrors.GENICAM_TIMEOUT).isEqualTo(Spinnaker_C.spinError.SPINNAKER_ERR_GENICAM_TIMEOUT.value);
        }

        @Test
        void lostDevice_isNotConnected_timeoutIsTimeout_refusalIsBadSetting() {
            assertThat(SpinErrors.codeFor(SpinErrors.IO)).isEqualTo(CameraException.Code.NOT_CONNECTED);
            assertThat(SpinErrors.codeFor(SpinErrors.INVALID_HANDLE)).isEqualTo(CameraException.Code.NOT_CONNECTED);
            assertThat(SpinErrors.codeFor(SpinErrors.TIMEOUT)).isEqualTo(CameraException.Code.TIMEOUT);
            assertThat(SpinErrors.codeFor(SpinErrors.GENICAM_OUT_OF_RANGE)).isEqualTo(CameraException.Code.BAD_SETTING);
            assertThat(SpinErrors.codeFor(SpinErrors.BUSY)).isEqualTo(CameraException.Code.DEVICE_ERROR);
        }

        @Test
        void messages_nameCameraOperationAndError() {
            CameraException e = SpinErrors.exception(SpinErrors.GENICAM_OUT_OF_RANGE, "top", "set ExposureTime=1e9",
                    "value too large");
            assertThat(e.getMessage()).isEqualTo("spinnaker: cameras[top]: set ExposureTime=1e9 failed: "
                    + "GENICAM_OUT_OF_RANGE (value too large)");
        }
    }

    @Test
    void deviceMatching_bySerialUserIdAddressOrModelSerial() {
        CameraInfo info = new CameraInfo("spinnaker", "20123456", "FLIR", "BFS-PGE-50S5M", "20123456", "192.168.1.20");
        assertThat(SpinnakerMapping.matches(info, "top-cam", "20123456")).isTrue();
        assertThat(SpinnakerMapping.matches(info, "top-cam", "top-cam")).isTrue();
        assertThat(SpinnakerMapping.matches(info, "top-cam", "192.168.1.20")).isTrue();
        assertThat(SpinnakerMapping.matches(info, "top-cam", "BFS-PGE-50S5M-20123456")).isTrue();
        assertThat(SpinnakerMapping.matches(info, "", "")).isTrue();
        assertThat(SpinnakerMapping.matches(info, "", "99999999")).isFalse();
        assertThat(SpinnakerMapping.ipv4("3232235796")).isEqualTo("192.168.1.20");
        assertThat(SpinnakerMapping.ipv4("192.168.1.20")).isEqualTo("192.168.1.20");
    }
}
