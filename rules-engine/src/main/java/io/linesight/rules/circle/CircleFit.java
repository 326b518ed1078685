/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.circle;

/**
 * Least-squares circle through points: an algebraic (Kåsa) fit as a start, then Gauss–Newton on the geometric
 * distances, with points farther than a robust limit from the circle dropped between rounds (RANSAC-like
 * rejection of edges that belong to burrs, dirt or a neighbouring feature). Stateless.
 */
public final class CircleFit {
    private CircleFit() {
    }

    /** A fitted circle; {@code inliers} of the points were used, {@code rms} is their RMS distance to it. */
    public record Circle(double cx, double cy, double r, int inliers, double rms) {
    }

    /**
     * Fits {@code n} points {@code xs, ys}; {@code used} (length ≥ n) is scratch that marks the inliers. Null when
     * fewer than 3 usable points remain.
     */
    public static Circle fit(double[] xs, double[] ys, int n, boolean[] used) {
        for (int i = 0; i < n; i++) {
            used[i] = true;
        }
        double[] c = algebraic(xs, ys, n, used);
        if (c == null) {
            return null;
        }
        for (int round = 0; round < 3; round++) {
            c = geometric(xs, ys, n, used, c);
            // Robust limit: 3 × the median absolute residual, at least 0.5 px.
            double[] res = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (used[i]) {
                    res[m++] = Math.abs(Math.hypot(xs[i] - c[0], ys[i] - c[1]) - c[2]);
                }
            }
            java.util.Arrays.sort(res, 0, m);
            double limit = Math.max(0.5, 3 * 1.4826 * res[m / 2]);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                used[i] = Math.abs(Math.hypot(xs[i] - c[0], ys[i] - c[1]) - c[2]) <= limit;
                kept += used[i] ? 1 : 0;
            }
            if (kept < 3) {
                return null;
            }
        }
        c = geometric(xs, ys, n, used, c);
        int inliers = 0;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            if (used[i]) {
                double d = Math.hypot(xs[i] - c[0], ys[i] - c[1]) - c[2];
                ss += d * d;
                inliers++;
            }
        }
        return new Circle(c[0], c[1], c[2], inliers, Math.sqrt(ss / Math.max(1, inliers)));
    }

    /** Kåsa: minimise Σ(x² + y² + Dx + Ey + F)² — linear, slightly biased for short arcs. */
    private static double[] algebraic(double[] xs, double[] ys, int n, boolean[] used) {
        // Centre the data for numerical stability.
        double mx = 0;
        double my = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (used[i]) {
                mx += xs[i];
                my += ys[i];
                m++;
            }
        }
        if (m < 3) {
            return null;
        }
        mx /= m;
        my /= m;
        double sxx = 0, syy = 0, sxy = 0, sx = 0, sy = 0, sxz = 0, syz = 0, sz = 0;
        for (int i = 0; i < n; i++) {
            if (!used[i]) {
                continue;
            }
            double x = xs[i] - mx;
            double y = ys[i] - my;
            double z = x * x + y * y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
            sx += x;
            sy += y;
            sxz += x * z;
            syz += y * z;
            sz += z;
        }
        // Normal equations for D, E, F: [sxx sxy sx; sxy syy sy; sx sy m] · [D E F] = -[sxz syz sz]
        double[][] a = {{sxx, sxy, sx}, {sxy, syy, sy}, {sx, sy, m}};
        double[] rhs = {-sxz, -syz, -sz};
        double[] sol = solve3(a, rhs);
        if (sol == null) {
            return null;
        }
        double cx = -sol[0] / 2;
        double cy = -sol[1] / 2;
        double r2 = cx * cx + cy * cy - sol[2];
        if (r2 <= 0) {
            return null;
        }
        return new double[] {cx + mx, cy + my, Math.sqrt(r2)};
    }

    private static double[] geometric(double[] xs, double[] ys, int n, boolean[] used, double[] start) {
        double cx = start[0];
        double cy = start[1];
        double r = start[2];
        for (int it = 0; it < 10; it++) {
            double[][] jtj = new double[3][3];
            double[] jtr = new double[3];
            for (int i = 0; i < n; i++) {
                if (!used[i]) {
                    continue;
                }
                double dx = xs[i] - cx;
                double dy = ys[i] - cy;
                double d = Math.hypot(dx, dy);
                if (d == 0) {
                    continue;
                }
                double[] j = {-dx / d, -dy / d, -1};
                double res = d - r;
                for (int p = 0; p < 3; p++) {
                    jtr[p] += j[p] * res;
                    for (int q = 0; q < 3; q++) {
                        jtj[p][q] += j[p] * j[q];
                    }
                }
            }
            double[] step = solve3(jtj, new double[] {-jtr[0], -jtr[1], -jtr[2]});
            if (step == null) {
                break;
            }
            cx += step[0];
            cy += step[1];
            r += step[2];
            if (Math.abs(step[0]) + Math.abs(step[1]) + Math.abs(step[2]) < 1e-9) {
                break;
            }
        }
        return new double[] {cx, cy, r};
    }

    private static double[] solve3(double[][] a, double[] b) {
        double det = det3(a);
        if (Math.abs(det) < 1e-12) {
            return null;
        }
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            double[][] m = {a[0].clone(), a[1].clone(), a[2].clone()};
            for (int r = 0; r < 3; r++) {
                m[r][c] = b[r];
            }
            out[c] = det3(m) / det;
        }
        return out;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
