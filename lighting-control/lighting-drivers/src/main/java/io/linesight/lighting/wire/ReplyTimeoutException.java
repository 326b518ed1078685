/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.IOException;
import java.io.Serial;

/** The controller's reply was not complete by the deadline; carries what did arrive, for the error message. */
public final class ReplyTimeoutException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String received;

    public ReplyTimeoutException(String received) {
        super(received.isEmpty() ? "no reply" : "incomplete reply '" + WireText.printable(received) + "'");
        this.received = received;
    }

    /** Everything received during this exchange (may be empty). */
    public String received() {
        return received;
    }
}
