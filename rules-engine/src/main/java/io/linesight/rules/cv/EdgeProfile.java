/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

/**
 * Sub-pixel edges in a 1-D grey-level profile: the gradient (central difference, after optional Gaussian smoothing)
 * is searched for local extrema of at least the minimum contrast, and each extremum is refined by fitting a
 * parabola through it and its two neighbours. For an ideal step sampled by area-integrating pixels this recovers the
 * step's position exactly; blur only widens the peak symmetrically.
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
            double gm = gradient[i - 1] * Math.signum(g);
            double g0 = a;
            double gp = gradient[i + 1] * Math.signum(g);
            double denom = gm - 2 * g0 + gp;
            double delta = denom == 0 ? 0 : 0.5 * (gm - gp) / denom;
            delta = Math.clamp(delta, -1.0, 1.0);
            out[count++] = new Edge(i + delta, step);
        }
        return count;
    }

    /** The grey-level step across an edge at index i: profile 3 px after minus 3 px before (clamped to the ends). */
    private static double stepAround(double[] p, int n, int i) {
        return p[Math.min(n - 1, i + 3)] - p[Math.max(0, i - 3)];
    }
}
