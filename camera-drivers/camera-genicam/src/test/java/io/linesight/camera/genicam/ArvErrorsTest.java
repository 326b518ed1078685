/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.CameraException.Code;
import org.junit.jupiter.api.Test;

class ArvErrorsTest {
    @Test
    void deviceGone_isNotConnected_soTheReconnectLogicTakesOver() {
        assertThat(ArvErrors.codeFor("arv-device-error-quark", ArvErrors.TIMEOUT)).isEqualTo(Code.NOT_CONNECTED);
        assertThat(ArvErrors.codeFor("arv-device-error-quark", ArvErrors.NOT_CONNECTED)).isEqualTo(Code.NOT_CONNECTED);
        assertThat(ArvErrors.codeFor("arv-device-error-quark", ArvErrors.TRANSFER_ERROR)).isEqualTo(Code.NOT_CONNECTED);
    }

    @Test
    void unknownOrRefusedFeature_isBadSetting() {
        assertThat(ArvErrors.codeFor("arv-device-error-quark", ArvErrors.FEATURE_NOT_FOUND)).isEqualTo(Code.BAD_SETTING);
        assertThat(ArvErrors.codeFor("arv-gc-error-quark", 3)).isEqualTo(Code.BAD_SETTING);
    }

    @Test
    void anythingElse_isDeviceError() {
        assertThat(ArvErrors.codeFor("arv-device-error-quark", ArvErrors.PROTOCOL_ERROR)).isEqualTo(Code.DEVICE_ERROR);
        assertThat(ArvErrors.codeFor("g-io-error-quark", 1)).isEqualTo(Code.DEVICE_ERROR);
    }

    @Test
    void featureKinds_followTheGenicamNodeElement() {
        assertThat(FeatureKind.ofNodeName("IntSwissKnife")).isEqualTo(FeatureKind.INTEGER);
        assertThat(FeatureKind.ofNodeName("Converter")).isEqualTo(FeatureKind.FLOAT);
        assertThat(FeatureKind.ofNodeName("Enumeration")).isEqualTo(FeatureKind.ENUMERATION);
        assertThat(FeatureKind.ofNodeName("StringReg")).isEqualTo(FeatureKind.STRING);
        assertThat(FeatureKind.ofNodeName("Command")).isEqualTo(FeatureKind.COMMAND);
        assertThat(FeatureKind.ofNodeName("Boolean")).isEqualTo(FeatureKind.BOOLEAN);
        assertThat(FeatureKind.ofNodeName("Category")).isEqualTo(FeatureKind.OTHER);
    }
}
