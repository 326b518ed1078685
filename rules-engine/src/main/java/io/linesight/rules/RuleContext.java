/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

/**
 * Per-part context handed to every rule of a part: the fixture offset found by a locating rule (so ROIs follow a
 * part that sits off-centre) and the pixel-to-mm scale of the shot. Immutable.
 *
 * @param dx        fixture translation in pixels, added to every ROI
 * @param dy        fixture translation in pixels
 * @param angleDeg  fixture rotation in degrees about the fixture origin
 * @param mmPerPixel calibration scale, 0 when uncalibrated (values then stay in px)
 */
public record RuleContext(double dx, double dy, double angleDeg, double mmPerPixel) {
    public static final RuleContext NONE = new RuleContext(0, 0, 0, 0);
}
