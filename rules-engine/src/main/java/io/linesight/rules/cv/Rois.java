/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

import io.linesight.config.recipe.Roi;
import io.linesight.rules.RuleContext;
import org.jspecify.annotations.Nullable;
import org.opencv.core.Rect;

/** Places a recipe ROI on a part: its centre follows the fixture (shift and rotation), its size stays. */
public final class Rois {
    private Rois() {
    }

    /** The ROI's centre in pixel-centre coordinates: x. */
    public static double centreX(Roi roi) {
        return roi.x() + roi.width() / 2.0 - 0.5;
    }

    public static double centreY(Roi roi) {
        return roi.y() + roi.height() / 2.0 - 0.5;
    }

    /**
     * The axis-aligned ROI moved by the fixture, not clipped: it may reach outside the frame. Under a rotated fixture
     * the box is not turned (a few degrees of turn move its corners by a few px; rules that measure geometry turn
     * their own scan directions).
     */
    public static Rect move(Roi roi, RuleContext ctx) {
        double cx = centreX(roi);
        double cy = centreY(roi);
        double mx = ctx.mapX(cx, cy);
        double my = ctx.mapY(cx, cy);
        int x = (int) Math.round(mx - (cx - roi.x()));
        int y = (int) Math.round(my - (cy - roi.y()));
        return new Rect(x, y, roi.width(), roi.height());
    }

    /** The ROI moved by the fixture ({@link #move}) and clipped to the frame; null when nothing of it is left. */
    public static @Nullable Rect place(Roi roi, RuleContext ctx, int frameWidth, int frameHeight) {
        Rect r = move(roi, ctx);
        return OpenCv.clip(r.x, r.y, r.width, r.height, frameWidth, frameHeight);
    }

    /** Whether all of {@code r} lies inside a frame of this size. */
    public static boolean inside(Rect r, int frameWidth, int frameHeight) {
        return r.x >= 0 && r.y >= 0 && r.x + r.width <= frameWidth && r.y + r.height <= frameHeight;
    }
}
