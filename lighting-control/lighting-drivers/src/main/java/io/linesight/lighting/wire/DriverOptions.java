/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@code options} map of one {@code lights[]} entry, checked against the keys a driver knows, so that a typo is a
 * startup error naming the key instead of a setting silently ignored.
 */
public final class DriverOptions {
    private final String lightId;
    private final String driver;
    private final Map<String, String> values;

    private DriverOptions(String lightId, String driver, Map<String, String> values) {
        this.lightId = lightId;
        this.driver = driver;
        this.values = values;
    }

    /** Refuses any key not in {@code known}, listing the known ones. */
    public static DriverOptions of(LightConfig config, Set<String> known) throws LightException {
        Map<String, String> values = config.options() == null ? Map.of() : config.options();
        DriverOptions options = new DriverOptions(config.id(), config.driver(), values);
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw options.bad(key, "unknown option for driver '" + config.driver() + "'; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return options;
    }

    public String lightId() {
        return lightId;
    }

    public String driver() {
        return driver;
    }

    /** {@code lights[ring].options.baud}: where an error points. */
    public String path(String key) {
        return "lights[" + lightId + "].options." + key;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public @Nullable String string(String key) {
        return values.get(key);
    }

    public String require(String key, String what) throws LightException {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw bad(key, "required: " + what);
        }
        return value;
    }

    public int integer(String key, int defaultValue, int min, int max) throws LightException {
        String value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw bad(key, "'" + value + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw bad(key, "rejected " + parsed + ", must be " + min + ".." + max);
        }
        return parsed;
    }

    public LightException bad(String key, String reason) {
        return new LightException(LightException.Code.BAD_SETTING, path(key) + ": " + reason);
    }
}
