/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import org.opencv.core.Mat;

/**
 * A synthetic part with known geometry that can be placed anywhere: a bright plate with a hole, a slot and a
 * notch (asymmetric, so that its turn is defined), on a dark belt. Used by fixture, golden and teach tests.
 */
public final class Parts {
    public static final int W = 640;
    public static final int H = 480;
    /** The part's own origin (the centre of rotation of {@link #render}). */
    public static final double OX = 320;
    public static final double OY = 240;
    public static final double HOLE_X = 250;
    public static final double HOLE_Y = 200;
    public static final double HOLE_R = 18.5;
    /** The slot: a dark vertical bar from x 360 to 384.5 (width 24.5), y 200..300. */
    public static final double SLOT_X0 = 360;
    public static final double SLOT_WIDTH = 24.5;

    private Parts() {
    }

    /** The part's grey value at a point of its own (taught) coordinates. */
    public static double part(double x, double y) {
        if (x < 180 || x > 460 || y < 150 || y > 330) {
            return 35;
        }
        if (x > 420 && y < 190) {
            return 35; // the notch at the top right corner
        }
        if (Synth.inCircle(x, y, HOLE_X, HOLE_Y, HOLE_R)) {
            return 50;
        }
        if (x >= SLOT_X0 && x < SLOT_X0 + SLOT_WIDTH && y >= 200 && y < 300) {
            return 60;
        }
        if (Synth.inCircle(x, y, 220, 290, 6)) {
            return 120; // a small mark
        }
        return 205;
    }

    /** The part moved by (dx, dy) and turned by angleDeg (clockwise, y down) about (OX, OY). */
    public static Mat render(double dx, double dy, double angleDeg) {
        return render(dx, dy, angleDeg, null);
    }

    /** As {@link #render(double, double, double)} with an extra defect drawn in part coordinates. */
    public static Mat render(double dx, double dy, double angleDeg, Synth.Scene defect) {
        double a = Math.toRadians(angleDeg);
        double c = Math.cos(a);
        double s = Math.sin(a);
        return Synth.render(W, H, (x, y) -> {
            // Inverse placement: frame point → part point.
            double px = x - OX - dx;
            double py = y - OY - dy;
            double u = c * px + s * py + OX;
            double v = -s * px + c * py + OY;
            if (defect != null) {
                double d = defect.at(u, v);
                if (d >= 0) {
                    return d;
                }
            }
            return part(u, v);
        });
    }
}
