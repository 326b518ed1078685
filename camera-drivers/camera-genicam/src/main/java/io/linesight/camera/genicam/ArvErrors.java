/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.api.CameraException;

/** Maps an Aravis {@code GError} (domain quark name and code) to what the station must do about it. */
final class ArvErrors {
    // ArvDeviceError codes (arvdevice.h, Aravis 0.8)
    static final int WRONG_FEATURE = 0;
    static final int FEATURE_NOT_FOUND = 1;
    static final int NOT_CONNECTED = 2;
    static final int PROTOCOL_ERROR = 3;
    static final int TRANSFER_ERROR = 4;
    static final int TIMEOUT = 5;
    static final int NOT_FOUND = 6;
    static final int INVALID_PARAMETER = 7;

    private ArvErrors() {
    }

    /**
     * The station's view of an Aravis error: a device that stopped answering is {@code NOT_CONNECTED} (the
     * reconnect logic takes over), a feature the device lacks or refuses is {@code BAD_SETTING}.
     */
    static CameraException.Code codeFor(String domain, int code) {
        if (domain.contains("gc")) {
            // ArvGcError: the GenICam description refused the access (unknown node, out of range, wrong type)
            return CameraException.Code.BAD_SETTING;
        }
        if (domain.contains("device")) {
            return switch (code) {
                case WRONG_FEATURE, FEATURE_NOT_FOUND, INVALID_PARAMETER -> CameraException.Code.BAD_SETTING;
                case NOT_CONNECTED, TRANSFER_ERROR, TIMEOUT, NOT_FOUND -> CameraException.Code.NOT_CONNECTED;
                default -> CameraException.Code.DEVICE_ERROR;
            };
        }
        return CameraException.Code.DEVICE_ERROR;
    }
}
