/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

/**
 * The audit trail could not take a record, so the action it was for is not done. Unchecked because every audited
 * action must let it through to the screen that shows the operator why nothing happened.
 */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditException(String message) {
        super(message);
    }
}
