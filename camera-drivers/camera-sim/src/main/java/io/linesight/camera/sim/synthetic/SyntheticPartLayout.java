/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import java.util.List;

/**
 * Where the synthetic camera draws the bracket. This geometry is a contract: the demo recipe's ROIs are computed
 * from it (see the module README), so it changes only together with them.
 *
 * <p><b>Coordinates.</b> Pixel edges: pixel {@code (i, j)} covers {@code [i, i+1) x [j, j+1)} and its centre is
 * {@code (i+0.5, j+0.5)}; a pixel takes a shape's grey when its centre lies inside the shape (boundary included).
 * OpenCV puts pixel centres on integers, so a blob centroid measured there is {@code (cx-0.5, cy-0.5)}.
 *
 * <p>For a frame {@code W x H}: plate {@code pw = round(0.70 W)}, {@code ph = round(0.60 H)}, nominal top-left
 * {@code ((W-pw)/2, (H-ph)/2)} (integer division), plus a per-part jitter of up to {@code J = round(0.01 W)} pixels
 * in each axis; corner radius {@code 0.05 min(pw, ph)}; hole radius {@code round(0.06 min(pw, ph))}; holes at
 * {@code (0.15, 0.2)}, {@code (0.85, 0.2)}, {@code (0.15, 0.8)}, {@code (0.85, 0.8)} of the plate; surface region
 * {@code x in [px+0.28 pw, px+0.72 pw]}, {@code y in [py+0.15 ph, py+0.85 ph]}.
 *
 * @param width        frame width W
 * @param height       frame height H
 * @param plateX       plate left edge px (jitter included)
 * @param plateY       plate top edge py (jitter included)
 * @param plateWidth   pw
 * @param plateHeight  ph
 * @param cornerRadius plate corner radius
 * @param holeRadius   hr
 * @param jitterMax    J: the largest per-part shift in pixels, in each axis
 */
public record SyntheticPartLayout(int width, int height, int plateX, int plateY, int plateWidth, int plateHeight,
        double cornerRadius, int holeRadius, int jitterMax) {

    /** Hole centres as fractions of the plate: top-left, top-right, bottom-left, bottom-right. */
    private static final double[][] HOLES = {{0.15, 0.2}, {0.85, 0.2}, {0.15, 0.8}, {0.85, 0.8}};

    /** A point in frame pixels (pixel-edge coordinates). */
    public record Point(double x, double y) {
    }

    /** A rectangle in frame pixels (pixel-edge coordinates), {@code x1 <= x < x2}, {@code y1 <= y < y2}. */
    public record Rect(double x1, double y1, double x2, double y2) {
        public double width() {
            return x2 - x1;
        }

        public double height() {
            return y2 - y1;
        }

        /** Whether {@code [bx1, bx2] x [by1, by2]} lies inside this rectangle, edges included. */
        public boolean contains(double bx1, double by1, double bx2, double by2) {
            return bx1 >= x1 && by1 >= y1 && bx2 <= x2 && by2 <= y2;
        }
    }

    /** The layout of a part without jitter: the plate centred as the formulas say. */
    public static SyntheticPartLayout of(int width, int height) {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("synthetic frame " + width + "x" + height + " is below 16x16");
        }
        int pw = (int) Math.round(0.70 * width);
        int ph = (int) Math.round(0.60 * height);
        int minSide = Math.min(pw, ph);
        return new SyntheticPartLayout(width, height, (width - pw) / 2, (height - ph) / 2, pw, ph, 0.05 * minSide,
                (int) Math.round(0.06 * minSide), (int) Math.round(0.01 * width));
    }

    /** This layout moved by a part's jitter {@code (jx, jy)}, each in {@code [-J, J]}. */
    public SyntheticPartLayout shifted(int jx, int jy) {
        if (Math.abs(jx) > jitterMax || Math.abs(jy) > jitterMax) {
            throw new IllegalArgumentException("jitter (" + jx + ", " + jy + ") exceeds " + jitterMax);
        }
        return new SyntheticPartLayout(width, height, plateX + jx, plateY + jy, plateWidth, plateHeight, cornerRadius,
                holeRadius, jitterMax);
    }

    /** The plate's bounding rectangle (its corners are rounded). */
    public Rect plate() {
        return new Rect(plateX, plateY, plateX + plateWidth, plateY + plateHeight);
    }

    /** The four hole centres: top-left, top-right, bottom-left, bottom-right. */
    public List<Point> holeCentres() {
        return List.of(hole(0), hole(1), hole(2), hole(3));
    }

    /** Centre of hole {@code i} (0..3, order of {@link #holeCentres()}). */
    public Point hole(int i) {
        return new Point(plateX + HOLES[i][0] * plateWidth, plateY + HOLES[i][1] * plateHeight);
    }

    /** The machined surface between the holes, where scratches, dents and contamination appear. */
    public Rect surface() {
        return new Rect(plateX + 0.28 * plateWidth, plateY + 0.15 * plateHeight, plateX + 0.72 * plateWidth,
                plateY + 0.85 * plateHeight);
    }
}
