/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * A hole or round feature in the ROI: present or not, its diameter, and its centre's distance from a datum. The
 * circle is fitted (least squares with outlier rejection) on sub-pixel edge points found along rays from a first
 * estimate of the centre.
 *
 * @param polarity        {@code dark}: a dark disc on a brighter surround (a hole in back light is {@code bright})
 * @param rays            number of rays cast from the centre estimate
 * @param minContrast     an edge must step by at least this many grey levels
 * @param minEdgeFraction the fraction of rays that must find an edge for the feature to count as present
 * @param unit            unit of limits and values; {@code mm} needs a calibration of the shot
 * @param minDiameter     a smaller diameter fails
 * @param maxDiameter     a larger diameter fails
 * @param datumX          the expected centre in frame px (moved by the fixture); with {@code datumY}
 * @param datumY          the expected centre in frame px
 * @param maxOffset       the centre may be at most this far from the datum
 */
@TypeName("circle")
public record CircleRuleSpec(
        String name,
        String shot,
        Roi roi,
        @Default("dark") Polarity polarity,
        @Default("72") @Range(min = 8, max = 1440) int rays,
        @Default("20") @Range(min = 0, max = 65535) double minContrast,
        @Default("0.5") @Range(min = 0.05, max = 1) double minEdgeFraction,
        @Default("px") MeasureUnit unit,
        @Range(min = 0, max = 1e6) @Nullable Double minDiameter,
        @Range(min = 0, max = 1e6) @Nullable Double maxDiameter,
        @Nullable Double datumX,
        @Nullable Double datumY,
        @Range(min = 0, max = 1e6) @Nullable Double maxOffset) implements RuleSpec {

    public enum Polarity { DARK, BRIGHT }

    public CircleRuleSpec {
        if ((datumX == null) != (datumY == null)) {
            throw new IllegalArgumentException("datumX and datumY go together");
        }
        if (maxOffset != null && datumX == null) {
            throw new IllegalArgumentException("maxOffset needs a datum (datumX, datumY)");
        }
        Limits.ordered("minDiameter", minDiameter, "maxDiameter", maxDiameter);
    }

    public static CircleRuleSpec of(String name, String shot, Roi roi, Polarity polarity) {
        return new CircleRuleSpec(name, shot, roi, polarity, 72, 20, 0.5, MeasureUnit.PX, null, null, null, null, null);
    }

    public CircleRuleSpec withDiameter(@Nullable Double min, @Nullable Double max, MeasureUnit inUnit) {
        return new CircleRuleSpec(name, shot, roi, polarity, rays, minContrast, minEdgeFraction, inUnit, min, max, datumX,
                datumY, maxOffset);
    }

    public CircleRuleSpec withDatum(double x, double y, @Nullable Double maxDistance) {
        return new CircleRuleSpec(name, shot, roi, polarity, rays, minContrast, minEdgeFraction, unit, minDiameter,
                maxDiameter, x, y, maxDistance);
    }
}
