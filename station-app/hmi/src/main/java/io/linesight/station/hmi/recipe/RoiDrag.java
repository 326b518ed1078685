/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import io.linesight.config.recipe.Roi;
import org.jspecify.annotations.Nullable;

/**
 * The geometry of dragging a rule's ROI on the image, in frame pixels: what a touch grabs (a corner handle or the
 * body) and where the ROI goes. A dragged ROI stays inside the frame and never gets smaller than {@link #MIN_SIZE};
 * the corner opposite the one dragged stays where it is. Pure functions; no JavaFX.
 */
public final class RoiDrag {
    /** Side of a corner handle's hit area on the screen: a gloved finger's touch target. */
    public static final double HANDLE_PX = 48;
    /** Smallest ROI side a drag leaves, in frame pixels (a caliper needs 5; a blob of a few pixels means nothing). */
    public static final int MIN_SIZE = 16;

    /** What a touch holds. */
    public enum Grab { MOVE, TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT }

    private RoiDrag() {
    }

    /**
     * What a touch at frame point ({@code fx}, {@code fy}) grabs, or null when it misses the ROI and its handles.
     * Each corner's hit area is {@link #HANDLE_PX} screen pixels square, reaching into the ROI by at most a quarter
     * of its side on screen (and the rest outwards), so the middle of even a small ROI still moves it.
     *
     * @param screenPerFrame screen pixels per frame pixel at the current display scale
     */
    public static @Nullable Grab hit(Roi roi, double fx, double fy, double screenPerFrame) {
        double w = roi.width() * screenPerFrame;
        double h = roi.height() * screenPerFrame;
        double inX = Math.min(HANDLE_PX / 2, w / 4) / screenPerFrame;
        double inY = Math.min(HANDLE_PX / 2, h / 4) / screenPerFrame;
        double outX = HANDLE_PX / screenPerFrame - inX;
        double outY = HANDLE_PX / screenPerFrame - inY;
        boolean left = fx >= roi.x() - outX && fx <= roi.x() + inX;
        boolean right = fx >= roi.right() - inX && fx <= roi.right() + outX;
        boolean top = fy >= roi.y() - outY && fy <= roi.y() + inY;
        boolean bottom = fy >= roi.bottom() - inY && fy <= roi.bottom() + outY;
        if (top && left) {
            return Grab.TOP_LEFT;
        }
        if (top && right) {
            return Grab.TOP_RIGHT;
        }
        if (bottom && left) {
            return Grab.BOTTOM_LEFT;
        }
        if (bottom && right) {
            return Grab.BOTTOM_RIGHT;
        }
        boolean inside = fx >= roi.x() && fx <= roi.right() && fy >= roi.y() && fy <= roi.bottom();
        return inside ? Grab.MOVE : null;
    }

    /**
     * The ROI after dragging what {@code grab} holds by ({@code dx}, {@code dy}) frame pixels from where it was when
     * the touch began. A move keeps the size and stops at the frame's edges; a corner moves that corner only, no
     * closer than {@link #MIN_SIZE} to the opposite one and not past the frame.
     *
     * @throws IllegalArgumentException when the frame itself is smaller than {@link #MIN_SIZE}
     */
    public static Roi drag(Roi start, Grab grab, double dx, double dy, int frameWidth, int frameHeight) {
        if (frameWidth < MIN_SIZE || frameHeight < MIN_SIZE) {
            throw new IllegalArgumentException("frame " + frameWidth + "x" + frameHeight + " is smaller than the "
                    + MIN_SIZE + " px an ROI needs");
        }
        int ix = (int) Math.round(dx);
        int iy = (int) Math.round(dy);
        // the start may come from a file edited by hand: bring it inside before moving it
        int width = clamp(start.width(), MIN_SIZE, frameWidth);
        int height = clamp(start.height(), MIN_SIZE, frameHeight);
        int left = clamp(start.x(), 0, frameWidth - width);
        int top = clamp(start.y(), 0, frameHeight - height);
        int right = left + width;
        int bottom = top + height;
        switch (grab) {
            case MOVE -> {
                left = clamp(left + ix, 0, frameWidth - width);
                top = clamp(top + iy, 0, frameHeight - height);
                right = left + width;
                bottom = top + height;
            }
            case TOP_LEFT -> {
                left = clamp(left + ix, 0, right - MIN_SIZE);
                top = clamp(top + iy, 0, bottom - MIN_SIZE);
            }
            case TOP_RIGHT -> {
                right = clamp(right + ix, left + MIN_SIZE, frameWidth);
                top = clamp(top + iy, 0, bottom - MIN_SIZE);
            }
            case BOTTOM_LEFT -> {
                left = clamp(left + ix, 0, right - MIN_SIZE);
                bottom = clamp(bottom + iy, top + MIN_SIZE, frameHeight);
            }
            case BOTTOM_RIGHT -> {
                right = clamp(right + ix, left + MIN_SIZE, frameWidth);
                bottom = clamp(bottom + iy, top + MIN_SIZE, frameHeight);
            }
        }
        return new Roi(left, top, right - left, bottom - top);
    }

    /**
     * A ROI typed as numbers: refused, naming the field, when it does not lie inside the frame or is smaller than
     * {@link #MIN_SIZE} (typed values are not clamped: the engineer meant them).
     *
     * @param where the field path for the message, e.g. {@code rules[5].roi}
     */
    public static Roi typed(String where, int x, int y, int width, int height, int frameWidth, int frameHeight) {
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException(where + ": x and y must be 0 or more, not " + x + "," + y);
        }
        if (width < MIN_SIZE || height < MIN_SIZE) {
            throw new IllegalArgumentException(where + ": " + width + "x" + height + " is smaller than the minimum "
                    + MIN_SIZE + "x" + MIN_SIZE);
        }
        Roi roi = new Roi(x, y, width, height);
        if (!roi.fitsIn(frameWidth, frameHeight)) {
            throw new IllegalArgumentException(where + ": " + x + "," + y + " " + width + "x" + height
                    + " must lie inside the " + frameWidth + "x" + frameHeight + " frame");
        }
        return roi;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
