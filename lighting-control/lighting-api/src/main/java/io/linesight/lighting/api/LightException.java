/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.api;

import java.io.Serial;

/** A lighting controller failed; the affected part is rejected with {@code LIGHT_FAULT}. */
public class LightException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public enum Code { NOT_CONNECTED, TIMEOUT, REFUSED, BAD_SETTING, DRIVER_MISSING }

    private final Code code;

    public LightException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public LightException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
