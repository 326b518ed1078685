/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import io.linesight.config.bind.TypeName;
import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * Edges along a scan line: the grey-level profile across the ROI (averaged over its height) is searched for edges
 * with sub-pixel position; a pair of edges gives a width, a single edge a position.
 *
 * <p>The scan runs along the ROI's width, left to right, rotated by {@code angleDeg} (clockwise in image
 * coordinates) about the ROI's centre: a rotated rectangle. A ROI one pixel high is a line.
 *
 * @param angleDeg    rotation of the scan direction
 * @param firstEdge   polarity of the first edge along the scan: {@code rising} (dark to bright), {@code falling}, {@code any}
 * @param secondEdge  polarity of the second edge
 * @param pairing     {@code outer}: first edge of the first polarity and the last of the second after it (outside
 *                    width); {@code adjacent}: the next edge of the second polarity (a gap or a web);
 *                    {@code single}: only the first edge, for a position
 * @param minContrast an edge must step by at least this many grey levels (frame units)
 * @param smoothing   Gaussian sigma (px) applied along the profile before the gradient; 0 for none
 * @param unit        unit of the limits and measured values; {@code mm} needs a calibration of the shot
 * @param minWidth    the pair's distance may not be smaller
 * @param maxWidth    the pair's distance may not be larger
 * @param minPosition the pair's centre (or the single edge), measured along the scan from the ROI's centre, may
 *                    not be smaller
 * @param maxPosition ... nor larger
 */
@TypeName("caliper")
public record CaliperRuleSpec(
        String name,
        String shot,
        Roi roi,
        @Default("0") @Range(min = -360, max = 360) double angleDeg,
        @Default("any") EdgePolarity firstEdge,
        @Default("any") EdgePolarity secondEdge,
        @Default("outer") Pairing pairing,
        @Default("20") @Range(min = 0, max = 65535) double minContrast,
        @Default("0") @Range(min = 0, max = 20) double smoothing,
        @Default("px") MeasureUnit unit,
        @Range(min = 0, max = 1e6) @Nullable Double minWidth,
        @Range(min = 0, max = 1e6) @Nullable Double maxWidth,
        @Nullable Double minPosition,
        @Nullable Double maxPosition) implements RuleSpec {

    public enum EdgePolarity { RISING, FALLING, ANY }

    public enum Pairing { OUTER, ADJACENT, SINGLE }

    public CaliperRuleSpec {
        if (roi.width() < 5) {
            throw new IllegalArgumentException("roi.width (" + roi.width() + ") must be at least 5 px to find an edge");
        }
        Limits.ordered("minWidth", minWidth, "maxWidth", maxWidth);
        Limits.ordered("minPosition", minPosition, "maxPosition", maxPosition);
    }

    /** A caliper with the defaults of the YAML form and no limits. */
    public static CaliperRuleSpec of(String name, String shot, Roi roi, double angleDeg) {
        return new CaliperRuleSpec(name, shot, roi, angleDeg, EdgePolarity.ANY, EdgePolarity.ANY, Pairing.OUTER, 20, 0,
                MeasureUnit.PX, null, null, null, null);
    }

    public CaliperRuleSpec withWidthLimits(@Nullable Double min, @Nullable Double max, MeasureUnit inUnit) {
        return new CaliperRuleSpec(name, shot, roi, angleDeg, firstEdge, secondEdge, pairing, minContrast, smoothing,
                inUnit, min, max, minPosition, maxPosition);
    }

    public CaliperRuleSpec withEdges(EdgePolarity first, EdgePolarity second, Pairing how) {
        return new CaliperRuleSpec(name, shot, roi, angleDeg, first, second, how, minContrast, smoothing, unit, minWidth,
                maxWidth, minPosition, maxPosition);
    }
}
