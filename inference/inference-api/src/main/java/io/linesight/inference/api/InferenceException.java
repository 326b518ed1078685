/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

import java.io.Serial;

/** A model could not be loaded or run. At inspection time the part is rejected with {@code INFERENCE_ERROR}. */
public class InferenceException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public enum Code { LOAD_FAILED, UNSUPPORTED_MODEL, RUN_FAILED, BAD_INPUT }

    private final Code code;

    public InferenceException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public InferenceException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
