/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

import java.io.IOException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The station's HMI users as remote logins see them: checks a name and PIN with the same users, the same lock-outs
 * and the same cost for unknown names as the station's own screen. Implemented beside the HMI's user store; called
 * on the "plc-commands" thread, blocking for the PIN hash (tens of milliseconds). Must not keep the PIN.
 */
@FunctionalInterface
public interface Credentials {

    /** What a PIN check found. */
    sealed interface Check {
        /** The PIN is the user's; {@code mayCommand}: engineer or admin. */
        record Ok(String user, String role, boolean mayCommand) implements Check {
        }

        /** Wrong PIN or unknown name (one answer for both); {@code lockedUntil} when this failure locked the name. */
        record Wrong(@Nullable Instant lockedUntil) implements Check {
        }

        /** Locked out from earlier failures; the PIN was not checked. */
        record Locked(Instant until) implements Check {
        }

        /** The station has no users yet (no HMI has set up the first admin). */
        record NoUsers() implements Check {
        }
    }

    /**
     * Checks {@code pin} for {@code user} at {@code now}, counting a failure towards the lock-out.
     *
     * @throws IOException the users could not be read
     */
    Check check(String user, char[] pin, Instant now) throws IOException;
}
