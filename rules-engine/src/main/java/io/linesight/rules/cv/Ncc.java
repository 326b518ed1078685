/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;

/**
 * Normalised cross-correlation ({@code TM_CCOEFF_NORMED}) of a template at one position, computed directly: one dot
 * product and one mean/deviation pass over the window, Σ(I−Ī)(T−T̄) / √(Σ(I−Ī)² Σ(T−T̄)²) with
 * Σ(I−Ī)(T−T̄) = ΣIT − Ī·ΣT and Σ(I−Ī)² = n·σ². For the few dozen positions a coarse-to-fine search or a small
 * alignment visits this is far cheaper than {@code matchTemplate}, whose DFT of a large template is paid per call.
 * Thread-safe; the outputs of {@code meanStdDev} are reused per thread.
 */
public final class Ncc {
    private static final ThreadLocal<MatOfDouble[]> MEAN_STD =
            ThreadLocal.withInitial(() -> new MatOfDouble[] {new MatOfDouble(), new MatOfDouble()});

    private Ncc() {
    }

    /** ΣT and Σ(T−T̄)² of a template, to be computed once and passed to {@link #at}. */
    public static double[] templateSums(Mat t) {
        double n = (double) t.cols() * t.rows();
        double sum = Core.sumElems(t).val[0];
        return new double[] {sum, t.dot(t) - sum * sum / n};
    }

    /**
     * The score of template {@code t} (8-bit, like {@code img}) with its top-left at (x, y) of {@code img}, which
     * must lie inside; 0 on a flat window or template.
     */
    public static double at(Mat img, int x, int y, Mat t, double sumT, double varT) {
        Mat win = img.submat(y, y + t.rows(), x, x + t.cols());
        MatOfDouble[] ms = MEAN_STD.get();
        try {
            double n = (double) t.cols() * t.rows();
            Core.meanStdDev(win, ms[0], ms[1]);
            double mean = ms[0].get(0, 0)[0];
            double sd = ms[1].get(0, 0)[0];
            double num = win.dot(t) - mean * sumT;
            double den = Math.sqrt(n * sd * sd * varT);
            return den <= 1e-9 ? 0 : Math.clamp(num / den, -1.0, 1.0);
        } finally {
            win.release();
        }
    }

    /** Parabolic offset of a peak c between m and p, within ±0.5; 0 at a border (NaN) or when c is no maximum. */
    public static double parabola(double m, double c, double p) {
        if (Double.isNaN(m) || Double.isNaN(p)) {
            return 0;
        }
        double den = m - 2 * c + p;
        return den >= 0 ? 0 : Math.clamp(0.5 * (m - p) / den, -0.5, 0.5);
    }
}
