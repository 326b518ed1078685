/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import java.io.Serial;

/** A camera operation failed; {@link #code()} says how the station should treat it. */
public class CameraException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What went wrong, as the pipeline needs to know it. */
    public enum Code {
        /** The device is missing, disconnected or not answering. */
        NOT_CONNECTED,
        /** A setting was refused or does not exist on this device. */
        BAD_SETTING,
        /** No frame came within the frame timeout. */
        TIMEOUT,
        /** The driver's native library or SDK is not installed. */
        DRIVER_MISSING,
        /** Anything else the device or driver reported. */
        DEVICE_ERROR
    }

    private final Code code;

    public CameraException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public CameraException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
