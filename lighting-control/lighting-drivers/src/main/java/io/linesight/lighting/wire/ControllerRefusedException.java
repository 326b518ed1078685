/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.lighting.api.LightException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/** {@link LightException.Code#REFUSED}: the controller answered a command with an error; carries its code and text. */
public final class ControllerRefusedException extends LightException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @Nullable Integer controllerCode;
    private final String controllerText;
    private final String command;

    public ControllerRefusedException(String message, String command, @Nullable Integer controllerCode, String controllerText) {
        super(Code.REFUSED, message);
        this.command = command;
        this.controllerCode = controllerCode;
        this.controllerText = controllerText;
    }

    /** The controller's error number ({@code 21} for {@code Err 21}), or null when its reply has none. */
    public @Nullable Integer controllerCode() {
        return controllerCode;
    }

    public String controllerText() {
        return controllerText;
    }

    /** The command refused, without its line ending. */
    public String command() {
        return command;
    }
}
