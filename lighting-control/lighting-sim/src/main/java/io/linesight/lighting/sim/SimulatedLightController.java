/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process controller for the demo and tests: it keeps each channel's setting and can be told to fail, so the
 * station's {@code LIGHT_FAULT} path can be exercised without hardware.
 */
public final class SimulatedLightController implements LightController {
    private final String id;
    private final Map<Integer, LightSetting> channels = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private volatile boolean closed;

    public SimulatedLightController(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void apply(int channel, LightSetting setting) throws LightException {
        if (closed) {
            throw new LightException(LightException.Code.NOT_CONNECTED, "light controller " + id + " is closed");
        }
        if (failing) {
            throw new LightException(LightException.Code.NOT_CONNECTED, "light controller " + id + " does not answer (simulated fault)");
        }
        channels.put(channel, setting);
    }

    /** The setting a channel holds now, or null. */
    public LightSetting channel(int channel) {
        return channels.get(channel);
    }

    /** Makes every following {@link #apply} fail until cleared. */
    public void setFailing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public boolean healthy() {
        return !failing && !closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
