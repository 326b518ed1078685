/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.rules.cv.OpenCv;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Renders shapes with known geometry, anti-aliased by area (each pixel gets the fraction of it the shape covers,
 * from 16×16 samples near edges), the way a camera integrates light. Coordinates are pixel centres: pixel (i, j)
 * covers [i−½, i+½) × [j−½, j+½).
 */
public final class Synth {
    private Synth() {
    }

    /** A shape as a value at a continuous point (grey level), e.g. background plus features. */
    public interface Scene {
        double at(double x, double y);
    }

    public static Mat render(int w, int h, Scene scene) {
        return render(w, h, scene, CvType.CV_8UC1);
    }

    public static Mat render(int w, int h, Scene scene, int type) {
        OpenCv.ensureLoaded();
        double[] row = new double[w];
        Mat m = new Mat(h, w, CvType.CV_64F);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                row[x] = pixel(scene, x, y);
            }
            m.put(y, 0, row);
        }
        Mat out = new Mat();
        m.convertTo(out, type);
        m.release();
        return out;
    }

    private static double pixel(Scene s, int x, int y) {
        double c0 = s.at(x - 0.49, y - 0.49);
        boolean mixed = c0 != s.at(x + 0.49, y - 0.49) || c0 != s.at(x - 0.49, y + 0.49) || c0 != s.at(x + 0.49, y + 0.49)
                || c0 != s.at(x, y);
        int n = mixed ? 16 : 1;
        if (n == 1) {
            return c0;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                sum += s.at(x - 0.5 + (i + 0.5) / n, y - 0.5 + (j + 0.5) / n);
            }
        }
        return sum / (n * n);
    }

    /** Whether (x, y) lies in the rectangle of centre (cx, cy), size w×h, turned by angleDeg (clockwise, y down). */
    public static boolean inRotatedRect(double x, double y, double cx, double cy, double w, double h, double angleDeg) {
        double a = Math.toRadians(angleDeg);
        double dx = x - cx;
        double dy = y - cy;
        double u = Math.cos(a) * dx + Math.sin(a) * dy;
        double v = -Math.sin(a) * dx + Math.cos(a) * dy;
        return Math.abs(u) <= w / 2 && Math.abs(v) <= h / 2;
    }

    public static boolean inCircle(double x, double y, double cx, double cy, double r) {
        double dx = x - cx;
        double dy = y - cy;
        return dx * dx + dy * dy <= r * r;
    }
}
