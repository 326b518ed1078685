/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightHealth;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process controller for the demo and tests: it keeps each channel's setting and can be told to fail
 * ({@link #setFailing}), so the station's {@code LIGHT_FAULT} path can be exercised without hardware. While failing,
 * {@link #health()} is a fault that began when the failure was set, as a watched wire controller would report it.
 */
public final class SimulatedLightController implements LightController {
    private final String id;
    private final Map<Integer, LightSetting> channels = new ConcurrentHashMap<>();
    private volatile LightHealth health = LightHealth.OK;
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
        if (health instanceof LightHealth.Fault fault) {
            throw new LightException(LightException.Code.NOT_CONNECTED, fault.reason());
        }
        channels.put(channel, setting);
    }

    /** The setting a channel holds now, or null. */
    public LightSetting channel(int channel) {
        return channels.get(channel);
    }

    /** Makes every following {@link #apply} fail, and {@link #health()} report a fault, until cleared. */
    public synchronized void setFailing(boolean failing) {
        if (!failing) {
            health = LightHealth.OK;
        } else if (health instanceof LightHealth.Ok) {
            health = new LightHealth.Fault("light controller '" + id + "' does not answer (simulated fault)", Instant.now());
        }
    }

    @Override
    public LightHealth health() {
        return closed ? new LightHealth.Fault("light controller '" + id + "' is closed", Instant.now()) : health;
    }

    @Override
    public void close() {
        closed = true;
    }
}
