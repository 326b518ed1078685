/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

/**
 * Per-part context handed to every rule of a part: the fixture placement found by a locating rule (so ROIs follow a
 * part that sits off-centre or turned) and the pixel-to-mm scale of the shot. Immutable.
 *
 * <p>A point {@code p} of the taught image lies, on this part, at {@code R(angle)·(p − origin) + origin + (dx, dy)}.
 *
 * @param dx         fixture translation in pixels, added to every ROI
 * @param dy         fixture translation in pixels
 * @param angleDeg   fixture rotation in degrees (clockwise in image coordinates, y down) about the fixture origin
 * @param mmPerPixel calibration scale, 0 when uncalibrated (values then stay in px unless the rule has a
 *                   calibration of its own)
 * @param originX    the fixture origin (the taught centre of the locating pattern), frame px
 * @param originY    the fixture origin, frame px
 */
public record RuleContext(double dx, double dy, double angleDeg, double mmPerPixel, double originX, double originY) {
    public static final RuleContext NONE = new RuleContext(0, 0, 0, 0);

    /** A context whose rotation, if any, is about the frame's origin. */
    public RuleContext(double dx, double dy, double angleDeg, double mmPerPixel) {
        this(dx, dy, angleDeg, mmPerPixel, 0, 0);
    }

    /** Only a calibration scale, no fixture. */
    public static RuleContext scale(double mmPerPixel) {
        return new RuleContext(0, 0, 0, mmPerPixel);
    }

    /** This context with a fixture placement (keeps the scale). */
    public RuleContext withFixture(double dx, double dy, double angleDeg, double originX, double originY) {
        return new RuleContext(dx, dy, angleDeg, mmPerPixel, originX, originY);
    }

    public boolean rotated() {
        return angleDeg != 0;
    }

    /** Where the taught point (x, y) lies on this part: x. */
    public double mapX(double x, double y) {
        if (angleDeg == 0) {
            return x + dx;
        }
        double a = Math.toRadians(angleDeg);
        return Math.cos(a) * (x - originX) - Math.sin(a) * (y - originY) + originX + dx;
    }

    /** Where the taught point (x, y) lies on this part: y. */
    public double mapY(double x, double y) {
        if (angleDeg == 0) {
            return y + dy;
        }
        double a = Math.toRadians(angleDeg);
        return Math.sin(a) * (x - originX) + Math.cos(a) * (y - originY) + originY + dy;
    }
}
