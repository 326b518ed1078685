/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

/**
 * Sub-pixel edges in a 1-D grey-level profile: the gradient (central difference, after optional Gaussian smoothing)
 * is searched for local extrema of at least the minimum contrast, and each extremum is refined to sub-pixel
 * position by the centroid of its gradient lobe (see {@link #centroid}). For an ideal step sampled by
 * area-integrating pixels this recovers the step's position exactly, and stays exact under symmetric blur and
 * bilinear resampling.
 *
 * <p>Stateless; the caller owns the arrays.
 */
public final class EdgeProfile {
    private EdgeProfile() {
    }

    /** An edge at sub-pixel index {@code position}; {@code strength} is the signed step (positive = rising). */
    public record Edge(double position, double strength) {
        public boolean rising() {
            return strength > 0;
        }
    }

    /**
     * Smooths {@code profile[0..n)} in place with a Gaussian of {@code sigma} (no-op for sigma ≤ 0); uses
     * {@code tmp} (length ≥ n) as scratch.
     */
    public static void smooth(double[] profile, int n, double sigma, double[] tmp) {
        if (sigma <= 0) {
            return;
        }
        int r = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = -r; j <= r; j++) {
                int idx = Math.clamp(i + j, 0, n - 1);
                acc += k[j + r] * profile[idx];
            }
            tmp[i] = acc / sum;
        }
        System.arraycopy(tmp, 0, profile, 0, n);
    }

    /**
     * Every edge of the profile whose step reaches {@code minContrast}, in order of position. The step of an edge is
     * its gradient peak times two (a one-pixel ramp of height h has central differences h/2); to be robust to blur,
     * the gradient is summed over the peak's neighbours instead, which equals the full step for ramps up to three
     * pixels wide.
     */
    public static int edges(double[] profile, int n, double minContrast, double[] gradient, Edge[] out) {
        return edges(profile, n, minContrast, 0, gradient, out);
    }

    /**
     * As {@link #edges(double[], int, double, double[], Edge[])}, for a profile smoothed with {@code sigma}: the
     * peak's lobe is taken that much wider.
     */
    public static int edges(double[] profile, int n, double minContrast, double sigma, double[] gradient, Edge[] out) {
        int lobe = 2 + (int) Math.ceil(2 * sigma);
        if (n < 3) {
            return 0;
        }
        gradient[0] = 0;
        gradient[n - 1] = 0;
        for (int i = 1; i < n - 1; i++) {
            gradient[i] = (profile[i + 1] - profile[i - 1]) / 2.0;
        }
        int count = 0;
        for (int i = 1; i < n - 1 && count < out.length; i++) {
            double g = gradient[i];
            double a = Math.abs(g);
            if (a == 0 || a < Math.abs(gradient[i - 1]) || a < Math.abs(gradient[i + 1])) {
                continue;
            }
            // Plateau of equal values: take its first sample only; the parabola centres it.
            if (a == Math.abs(gradient[i - 1]) && Math.signum(gradient[i - 1]) == Math.signum(g)) {
                continue;
            }
            double step = stepAround(profile, n, i);
            if (Math.abs(step) < minContrast || Math.signum(step) != Math.signum(g)) {
                continue;
            }
            out[count++] = new Edge(centroid(gradient, n, i, lobe), step);
            continue;
        }
        return count;
    }

    /**
     * Sub-pixel position of the gradient peak at {@code i}: the centroid of |gradient| over the peak's lobe (the
     * contiguous samples of the same sign, at most {@code lobe} either side). A parabola through the top three
     * samples is exact only for an unblurred step sampled in phase; after bilinear resampling at half-pixel phase
     * (any rotated caliper) it is off by up to 0.09 px, while the centroid of a symmetric lobe stays exact.
     */
    static double centroid(double[] gradient, int n, int i, int lobe) {
        double sign = Math.signum(gradient[i]);
        int lo = i;
        while (lo > 0 && i - lo < lobe && gradient[lo - 1] * sign > 0 && gradient[lo - 1] * sign <= gradient[lo] * sign) {
            lo--;
        }
        int hi = i;
        while (hi < n - 1 && hi - i < lobe && gradient[hi + 1] * sign > 0 && gradient[hi + 1] * sign <= gradient[hi] * sign) {
            hi++;
        }
        double sum = 0;
        double moment = 0;
        for (int k = lo; k <= hi; k++) {
            double w = gradient[k] * sign;
            sum += w;
            moment += w * k;
        }
        return moment / sum;
    }

    /** The grey-level step across an edge at index i: profile 3 px after minus 3 px before (clamped to the ends). */
    private static double stepAround(double[] p, int n, int i) {
        return p[Math.min(n - 1, i + 3)] - p[Math.max(0, i - 3)];
    }
}
