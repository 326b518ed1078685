/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.TruthBox;
import java.util.Arrays;
import java.util.List;

/**
 * Draws a {@link SyntheticPart} at unit exposure into an 8-bit image ({@code width*height} bytes, rows packed) and
 * returns its ground truth: one box per defect, the tight box of the pixels the defect changed (for a missing hole,
 * of the pixels the hole would have covered). Reuses its buffers; one instance per acquisition thread.
 */
final class BracketPainter {
    static final byte BACKGROUND = 40;
    static final byte PLATE = (byte) 170;

    private final int width;
    private final int height;
    // tight bounds of the pixels of the current shape, inclusive; reset per defect
    private int minX;
    private int minY;
    private int maxX;
    private int maxY;

    BracketPainter(int width, int height) {
        this.width = width;
        this.height = height;
    }

    List<TruthBox> paint(SyntheticPart part, byte[] img) {
        SyntheticPartLayout l = part.layout();
        Arrays.fill(img, 0, width * height, BACKGROUND);
        plate(img, l);
        Defect defect = part.defect();
        for (int i = 0; i < 4; i++) {
            boolean drilled = !(defect instanceof Defect.MissingHole(int index) && index == i);
            if (drilled) {
                SyntheticPartLayout.Point c = l.hole(i);
                disc(img, c.x(), c.y(), l.holeRadius(), BACKGROUND, true);
            }
        }
        if (defect == null) {
            return List.of();
        }
        resetBounds();
        switch (defect) {
            case Defect.Scratch s -> scratch(img, s);
            case Defect.Dent d -> dent(img, d);
            case Defect.Contamination c -> {
                for (Defect.Spot s : c.spots()) {
                    disc(img, s.cx(), s.cy(), s.r(), (byte) Defect.Contamination.GREY, true);
                }
            }
            case Defect.MissingHole m -> {
                SyntheticPartLayout.Point c = l.hole(m.index());
                disc(img, c.x(), c.y(), l.holeRadius(), PLATE, false);
            }
        }
        if (maxX < minX) {
            return List.of();
        }
        return List.of(new TruthBox(defect.label(), minX, minY, maxX + 1, maxY + 1));
    }

    private void resetBounds() {
        minX = Integer.MAX_VALUE;
        minY = Integer.MAX_VALUE;
        maxX = Integer.MIN_VALUE;
        maxY = Integer.MIN_VALUE;
    }

    private void mark(int x0, int x1, int y) {
        minX = Math.min(minX, x0);
        maxX = Math.max(maxX, x1);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
    }

    /** Pixel columns whose centres lie in {@code [left, right]}, clipped to the frame, filled on row {@code y}. */
    private void span(byte[] img, int y, double left, double right, byte grey, boolean paint) {
        int x0 = Math.max(0, (int) Math.ceil(left - 0.5));
        int x1 = Math.min(width - 1, (int) Math.floor(right - 0.5));
        if (x0 > x1) {
            return;
        }
        if (paint) {
            Arrays.fill(img, y * width + x0, y * width + x1 + 1, grey);
        }
        mark(x0, x1, y);
    }

    private void plate(byte[] img, SyntheticPartLayout l) {
        double r = l.cornerRadius();
        int px = l.plateX();
        int py = l.plateY();
        int pw = l.plateWidth();
        int ph = l.plateHeight();
        for (int y = Math.max(0, py); y < Math.min(height, py + ph); y++) {
            double yc = y + 0.5;
            double dy = yc < py + r ? py + r - yc : yc > py + ph - r ? yc - (py + ph - r) : 0;
            if (dy > 0) {
                double half = Math.sqrt(Math.max(0, r * r - dy * dy));
                span(img, y, px + r - half, px + pw - r + half, PLATE, true);
            } else {
                span(img, y, px, px + pw, PLATE, true);
            }
        }
    }

    private void disc(byte[] img, double cx, double cy, double r, byte grey, boolean paint) {
        int y0 = Math.max(0, (int) Math.floor(cy - r - 0.5));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + r - 0.5));
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            double d2 = r * r - dy * dy;
            if (d2 >= 0) {
                double half = Math.sqrt(d2);
                span(img, y, cx - half, cx + half, grey, paint);
            }
        }
    }

    private void scratch(byte[] img, Defect.Scratch s) {
        double hw = Defect.Scratch.WIDTH / 2;
        double vx = s.x2() - s.x1();
        double vy = s.y2() - s.y1();
        double len2 = vx * vx + vy * vy;
        int x0 = Math.max(0, (int) Math.floor(Math.min(s.x1(), s.x2()) - hw - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(s.x1(), s.x2()) + hw + 1));
        int y0 = Math.max(0, (int) Math.floor(Math.min(s.y1(), s.y2()) - hw - 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(s.y1(), s.y2()) + hw + 1));
        byte grey = (byte) Defect.Scratch.GREY;
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5 - s.y1();
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5 - s.x1();
                double t = len2 == 0 ? 0 : Math.clamp((px * vx + py * vy) / len2, 0, 1);
                double ex = px - t * vx;
                double ey = py - t * vy;
                if (ex * ex + ey * ey <= hw * hw) {
                    img[y * width + x] = grey;
                    mark(x, x, y);
                }
            }
        }
    }

    private void dent(byte[] img, Defect.Dent d) {
        double c = Math.cos(d.angle());
        double s = Math.sin(d.angle());
        double reach = Math.max(d.rx(), d.ry()) + 1;
        int x0 = Math.max(0, (int) Math.floor(d.cx() - reach));
        int x1 = Math.min(width - 1, (int) Math.ceil(d.cx() + reach));
        int y0 = Math.max(0, (int) Math.floor(d.cy() - reach));
        int y1 = Math.min(height - 1, (int) Math.ceil(d.cy() + reach));
        byte grey = (byte) Defect.Dent.GREY;
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - d.cy();
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - d.cx();
                double u = (dx * c + dy * s) / d.rx();
                double v = (-dx * s + dy * c) / d.ry();
                if (u * u + v * v <= 1) {
                    img[y * width + x] = grey;
                    mark(x, x, y);
                }
            }
        }
    }
}
