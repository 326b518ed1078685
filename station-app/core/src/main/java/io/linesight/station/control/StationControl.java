/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.control;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What may be asked of a running station from outside: the PLC's commands, the HMI (local or remote) and the command
 * line all call this port, so each asks the same way and gets the same refusals. Implemented by the station.
 *
 * <p>Threads: the PLC command thread, an HMI's background thread, a command-line thread; never the inspection path.
 * Only {@link #triggerPart} must not block; a recipe change waits for the parts in flight.
 */
public interface StationControl {
    /**
     * A part arrived; must not block. {@code firedAt} is when the PLC fired the part's line trigger, if it said.
     * Throws when the part is refused (repeated id, station not taking parts): it then gets no verdict.
     */
    void triggerPart(String partId, @Nullable Instant firedAt) throws CommandException;

    /** Changes the recipe between parts; returns the new recipe's label. */
    String changeRecipe(@Nullable String name, @Nullable String productCode, boolean force) throws CommandException;

    /** Accept triggers again (state ONLINE). */
    void startLine();

    /** Stop accepting triggers: new parts are rejected STATION_STOPPED (state STOPPED). */
    void stopLine();

    /** Counters to zero and alarms acknowledged. */
    void reset();
}
