/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.calibration;

import io.linesight.config.recipe.rule.MeasureUnit;
import io.linesight.rules.RuleContext;
import org.jspecify.annotations.Nullable;

/**
 * Converts lengths measured in frame pixels into a rule's unit. The scale comes from the part's context when the
 * station sets one, else from the shot's calibration file; a lens model in the calibration is applied either way.
 */
public final class Lengths {
    private final MeasureUnit unit;
    private final @Nullable ShotCalibration calibration;
    private final double scale;

    private Lengths(MeasureUnit unit, @Nullable ShotCalibration calibration, double scale) {
        this.unit = unit;
        this.calibration = calibration;
        this.scale = scale;
    }

    /** Null when the unit is mm and neither the context nor the calibration gives a scale. */
    public static @Nullable Lengths of(MeasureUnit unit, @Nullable ShotCalibration calibration, RuleContext ctx) {
        if (unit == MeasureUnit.PX) {
            return new Lengths(unit, null, 1);
        }
        double scale = ctx.mmPerPixel() > 0 ? ctx.mmPerPixel() : calibration != null ? calibration.mmPerPixel() : 0;
        return scale > 0 ? new Lengths(unit, calibration, scale) : null;
    }

    public String symbol() {
        return unit.symbol();
    }

    /** The distance between two frame points in this unit. */
    public double between(double x1, double y1, double x2, double y2) {
        if (unit == MeasureUnit.PX || calibration == null || !calibration.corrects()) {
            return Math.hypot(x2 - x1, y2 - y1) * scale;
        }
        return calibration.lengthMm(x1, y1, x2, y2) / calibration.mmPerPixel() * scale;
    }

    /** A length of {@code px} pixels near no particular point (no lens correction). */
    public double scale(double px) {
        return px * scale;
    }
}
