/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import org.jspecify.annotations.Nullable;

/**
 * A measured value with its unit and the limits it was held to (either may be absent).
 *
 * @param name  what was measured, e.g. {@code count}, {@code largestArea}, {@code width}
 * @param unit  {@code px}, {@code px²}, {@code mm}, {@code grey}, or empty for counts
 */
public record Measurement(String name, double value, String unit, @Nullable Double min, @Nullable Double max) {

    public static Measurement of(String name, double value, String unit) {
        return new Measurement(name, value, unit, null, null);
    }

    public boolean withinLimits() {
        return (min == null || value >= min) && (max == null || value <= max);
    }

    /**
     * How close to its limits the value came, as a fraction of the tolerance band (1 = at the centre or far from a
     * one-sided limit, 0 = on the limit, negative = outside). Null when there are no limits.
     */
    public @Nullable Double margin() {
        if (min == null && max == null) {
            return null;
        }
        if (min != null && max != null) {
            double half = (max - min) / 2.0;
            if (half <= 0) {
                return value == min ? 0.0 : -1.0;
            }
            return (half - Math.abs(value - (min + half))) / half;
        }
        double limit = min != null ? min : max;
        double distance = min != null ? value - limit : limit - value;
        double scale = Math.max(Math.abs(limit), 1.0);
        return Math.max(-1.0, Math.min(1.0, distance / scale));
    }
}
