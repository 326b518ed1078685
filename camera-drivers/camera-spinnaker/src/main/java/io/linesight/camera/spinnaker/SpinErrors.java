/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.CameraException;

/**
 * Spinnaker C error codes ({@code spinError}, Spinnaker 3.x {@code SpinnakerDefsC.h}) and what the station does about
 * each. Kept as plain ints so the mapping is testable without the SDK.
 */
final class SpinErrors {
    static final int SUCCESS = 0;
    static final int ERROR = -1001;
    static final int NOT_INITIALIZED = -1002;
    static final int NOT_IMPLEMENTED = -1003;
    static final int RESOURCE_IN_USE = -1004;
    static final int ACCESS_DENIED = -1005;
    static final int INVALID_HANDLE = -1006;
    static final int INVALID_ID = -1007;
    static final int NO_DATA = -1008;
    static final int INVALID_PARAMETER = -1009;
    static final int IO = -1010;
    static final int TIMEOUT = -1011;
    static final int ABORT = -1012;
    static final int INVALID_BUFFER = -1013;
    static final int NOT_AVAILABLE = -1014;
    static final int INVALID_ADDRESS = -1015;
    static final int BUFFER_TOO_SMALL = -1016;
    static final int INVALID_INDEX = -1017;
    static final int PARSING_CHUNK_DATA = -1018;
    static final int INVALID_VALUE = -1019;
    static final int RESOURCE_EXHAUSTED = -1020;
    static final int OUT_OF_MEMORY = -1021;
    static final int BUSY = -1022;
    static final int GENICAM_INVALID_ARGUMENT = -2001;
    static final int GENICAM_OUT_OF_RANGE = -2002;
    static final int GENICAM_PROPERTY = -2003;
    static final int GENICAM_RUN_TIME = -2004;
    static final int GENICAM_LOGICAL = -2005;
    static final int GENICAM_ACCESS = -2006;
    static final int GENICAM_TIMEOUT = -2007;

    private SpinErrors() {
    }

    /** The station's view of a Spinnaker error. */
    static CameraException.Code codeFor(int error) {
        return switch (error) {
            case TIMEOUT, GENICAM_TIMEOUT -> CameraException.Code.TIMEOUT;
            // the device went away or its handle died with it: the reconnect logic takes over
            case IO, INVALID_HANDLE, NOT_INITIALIZED, ABORT -> CameraException.Code.NOT_CONNECTED;
            case INVALID_PARAMETER, INVALID_VALUE, NOT_AVAILABLE, ACCESS_DENIED, GENICAM_INVALID_ARGUMENT,
                    GENICAM_OUT_OF_RANGE, GENICAM_PROPERTY, GENICAM_ACCESS, GENICAM_LOGICAL ->
                    CameraException.Code.BAD_SETTING;
            default -> CameraException.Code.DEVICE_ERROR;
        };
    }

    /** A readable name for logs and messages. */
    static String name(int error) {
        return switch (error) {
            case SUCCESS -> "SUCCESS";
            case ERROR -> "ERROR";
            case NOT_INITIALIZED -> "NOT_INITIALIZED";
            case NOT_IMPLEMENTED -> "NOT_IMPLEMENTED";
            case RESOURCE_IN_USE -> "RESOURCE_IN_USE";
            case ACCESS_DENIED -> "ACCESS_DENIED";
            case INVALID_HANDLE -> "INVALID_HANDLE";
            case INVALID_ID -> "INVALID_ID";
            case NO_DATA -> "NO_DATA";
            case INVALID_PARAMETER -> "INVALID_PARAMETER";
            case IO -> "IO";
            case TIMEOUT -> "TIMEOUT";
            case ABORT -> "ABORT";
            case INVALID_BUFFER -> "INVALID_BUFFER";
            case NOT_AVAILABLE -> "NOT_AVAILABLE";
            case INVALID_ADDRESS -> "INVALID_ADDRESS";
            case BUFFER_TOO_SMALL -> "BUFFER_TOO_SMALL";
            case INVALID_INDEX -> "INVALID_INDEX";
            case PARSING_CHUNK_DATA -> "PARSING_CHUNK_DATA";
            case INVALID_VALUE -> "INVALID_VALUE";
            case RESOURCE_EXHAUSTED -> "RESOURCE_EXHAUSTED";
            case OUT_OF_MEMORY -> "OUT_OF_MEMORY";
            case BUSY -> "BUSY";
            case GENICAM_INVALID_ARGUMENT -> "GENICAM_INVALID_ARGUMENT";
            case GENICAM_OUT_OF_RANGE -> "GENICAM_OUT_OF_RANGE";
            case GENICAM_PROPERTY -> "GENICAM_PROPERTY";
            case GENICAM_RUN_TIME -> "GENICAM_RUN_TIME";
            case GENICAM_LOGICAL -> "GENICAM_LOGICAL";
            case GENICAM_ACCESS -> "GENICAM_ACCESS";
            case GENICAM_TIMEOUT -> "GENICAM_TIMEOUT";
            default -> "SPINNAKER_ERR_" + error;
        };
    }

    /** A CameraException for {@code error} raised by {@code what} on {@code camera}. */
    static CameraException exception(int error, String camera, String what, String sdkMessage) {
        return new CameraException(codeFor(error), "spinnaker: cameras[" + camera + "]: " + what + " failed: "
                + name(error) + (sdkMessage.isBlank() ? "" : " (" + sdkMessage + ")"));
    }
}
