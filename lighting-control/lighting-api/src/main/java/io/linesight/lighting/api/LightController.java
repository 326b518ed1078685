/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.api;

import io.linesight.config.recipe.LightSetting;

/**
 * An open lighting controller.
 *
 * <p><b>Threads.</b> {@link #apply} is called by the station's sequencer thread for the shot about to be taken;
 * calls for one controller never overlap. {@link #health()} may be called from any thread at any time.
 * {@link #close()} may come from any thread and unblocks a pending call.
 * <b>Blocking.</b> {@code apply} blocks until the controller acknowledged the setting, at most the configured
 * timeout, then throws {@link LightException.Code#TIMEOUT}; the part is then rejected with {@code LIGHT_FAULT}.
 * Implementations skip the round trip when the channel already holds the same setting.
 * <b>Watching.</b> Since an unchanged setting causes no traffic, a driver watches its controller by itself between
 * applies (a keep-alive poll on its own thread, well within the controller's idle timeout), reconnects with backoff
 * when the link is lost, and re-sends every setting the controller held after a reconnect; {@link #health()}
 * reports what it saw.
 */
public interface LightController extends AutoCloseable {

    String id();

    /** Sets one channel (1-based) for the next shot. */
    void apply(int channel, LightSetting setting) throws LightException;

    /**
     * The controller's health now. Never blocks and does no I/O: it returns what the last exchange (an apply, a
     * keep-alive poll or a reconnect attempt) found. A closed controller is in {@link LightHealth.Fault}.
     */
    LightHealth health();

    /** Whether {@link #health()} is {@link LightHealth.Ok}. */
    default boolean healthy() {
        return health() instanceof LightHealth.Ok;
    }

    @Override
    void close();
}
