/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.api;

import io.linesight.config.recipe.LightSetting;

/**
 * An open lighting controller.
 *
 * <p><b>Threads.</b> {@link #apply} is called by the station's sequencer thread for the shot about to be taken;
 * calls for one controller never overlap. {@link #close()} may come from any thread and unblocks a pending call.
 * <b>Blocking.</b> {@code apply} blocks until the controller acknowledged the setting, at most the configured
 * timeout, then throws {@link LightException.Code#TIMEOUT}; the part is then rejected with {@code LIGHT_FAULT}.
 * Implementations skip the round trip when the channel already holds the same setting.
 */
public interface LightController extends AutoCloseable {

    String id();

    /** Sets one channel (1-based) for the next shot. */
    void apply(int channel, LightSetting setting) throws LightException;

    /** Whether the last exchange with the controller succeeded (for the HMI's device list). */
    boolean healthy();

    @Override
    void close();
}
