/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a light controller is reachable and answering, as its driver last saw it. A controller in
 * {@link Fault} cannot be trusted to light the next shot: the station rejects the parts that use it with
 * {@code LIGHT_FAULT} without imaging them, and shows an alarm until it is {@link Ok} again.
 *
 * <p>Health is about the link, not about one setting: a controller that answers but refuses a setting stays
 * {@link Ok} (that apply throws and its part is rejected).
 */
public sealed interface LightHealth {

    /** The last exchange with the controller (a setting, a keep-alive, a connect) succeeded. */
    record Ok() implements LightHealth {
    }

    /**
     * The controller is not answering.
     *
     * @param reason what failed, naming the controller and its address (for the operator and the part's reason)
     * @param since  when the fault began (wall clock, for display); unchanged while the fault lasts
     */
    record Fault(String reason, Instant since) implements LightHealth {
        public Fault {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(since, "since");
        }
    }

    /** The one {@link Ok} value. */
    LightHealth OK = new Ok();
}
