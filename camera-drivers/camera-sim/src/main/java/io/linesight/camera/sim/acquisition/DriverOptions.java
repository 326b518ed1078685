/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.acquisition;

import io.linesight.camera.api.CameraException;
import io.linesight.config.station.CameraConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the string {@code cameras[].options} of a simulated camera. Every error names the option by its config path
 * ({@code cameras[top].options.seed}) and the rejected value, and an unknown key is an error too: a typo must not
 * silently fall back to a default.
 */
public final class DriverOptions {
    private final String cameraId;
    private final Map<String, String> options;

    private DriverOptions(String cameraId, Map<String, String> options) {
        this.cameraId = cameraId;
        this.options = options;
    }

    /** Checks that every key of {@code config.options()} is one of {@code known}. */
    public static DriverOptions of(CameraConfig config, Set<String> known) throws CameraException {
        Map<String, String> options = config.options() == null ? Map.of() : config.options();
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new CameraException(CameraException.Code.BAD_SETTING, "cameras[" + config.id() + "].options."
                        + key + ": unknown option for driver " + config.driver() + " (value '" + options.get(key)
                        + "'); known options: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return new DriverOptions(config.id(), options);
    }

    private CameraException bad(String key, String value, String expected) {
        return new CameraException(CameraException.Code.BAD_SETTING,
                "cameras[" + cameraId + "].options." + key + ": rejected '" + value + "', expected " + expected);
    }

    public long longValue(String key, long def, long min, long max) throws CameraException {
        String v = options.get(key);
        if (v == null) {
            return def;
        }
        String expected = "an integer in " + min + ".." + max;
        try {
            long n = Long.parseLong(v.strip());
            if (n < min || n > max) {
                throw bad(key, v, expected);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, v, expected);
        }
    }

    public int intValue(String key, int def, int min, int max) throws CameraException {
        return (int) longValue(key, def, min, max);
    }

    public double doubleValue(String key, double def, double min, double max) throws CameraException {
        String v = options.get(key);
        if (v == null) {
            return def;
        }
        String expected = "a number in " + min + ".." + max;
        try {
            double d = Double.parseDouble(v.strip());
            if (!(d >= min && d <= max)) {
                throw bad(key, v, expected);
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, v, expected);
        }
    }

    public boolean booleanValue(String key, boolean def) throws CameraException {
        String v = options.get(key);
        if (v == null) {
            return def;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }
}
