/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A protocol found an error in the controller's reply. {@link WireLightController} turns it into a
 * {@link ControllerRefusedException} that names the light and the command.
 */
public final class RefusedReply extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @Nullable Integer code;
    private final String text;

    /**
     * @param code the controller's error number, if its reply has one
     * @param text the controller's words (or our reading of its code)
     */
    public RefusedReply(@Nullable Integer code, String text) {
        super(text, null, false, false);
        this.code = code;
        this.text = text;
    }

    public @Nullable Integer code() {
        return code;
    }

    public String text() {
        return text;
    }
}
