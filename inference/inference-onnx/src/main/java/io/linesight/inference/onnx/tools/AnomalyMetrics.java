/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import java.util.Arrays;

/**
 * Figures of an anomaly model on good (negative) and defective (positive) images: image AUROC, detection at a fixed
 * false-reject rate, best F1, and pixel AUROC accumulated in histograms (all pixels of hundreds of images do not fit
 * in memory as a list; 65,536 bins over the score range change the AUROC by far less than its last printed digit).
 */
final class AnomalyMetrics {
    private AnomalyMetrics() {
    }

    /** Area under the ROC curve: P(positive score > negative score), ties counting one half. NaN when a side is empty. */
    static double auroc(double[] negatives, double[] positives) {
        if (negatives.length == 0 || positives.length == 0) {
            return Double.NaN;
        }
        double[] neg = negatives.clone();
        Arrays.sort(neg);
        double sum = 0;
        for (double p : positives) {
            int below = lowerBound(neg, p);
            int notAbove = upperBound(neg, p);
            sum += below + 0.5 * (notAbove - below);
        }
        return sum / ((double) neg.length * positives.length);
    }

    /**
     * The threshold that rejects at most {@code frr} of the good images (the same rule the learner calibrates with):
     * the smallest good score with at most {@code floor(frr * n)} good scores above it.
     */
    static double thresholdAt(double[] negatives, double frr) {
        double[] neg = negatives.clone();
        Arrays.sort(neg);
        int allowedAbove = (int) Math.floor(frr * neg.length);
        return neg[Math.max(0, neg.length - 1 - allowedAbove)];
    }

    /** The fraction of scores strictly above the threshold. */
    static double rateAbove(double[] scores, double threshold) {
        if (scores.length == 0) {
            return Double.NaN;
        }
        int n = 0;
        for (double s : scores) {
            if (s > threshold) {
                n++;
            }
        }
        return (double) n / scores.length;
    }

    /** The best F1 (defects positive) over every threshold, and that threshold: {f1, threshold}. */
    static double[] bestF1(double[] negatives, double[] positives) {
        double[] all = new double[negatives.length + positives.length];
        System.arraycopy(negatives, 0, all, 0, negatives.length);
        System.arraycopy(positives, 0, all, negatives.length, positives.length);
        Arrays.sort(all);
        double best = 0;
        double bestT = Double.NaN;
        for (int i = 0; i < all.length; i++) {
            double t = i == 0 ? all[0] - 1e-9 : all[i - 1];
            if (i > 0 && all[i - 1] == all[i]) {
                continue;
            }
            double tp = rateAbove(positives, t) * positives.length;
            double fp = rateAbove(negatives, t) * negatives.length;
            double fn = positives.length - tp;
            double f1 = 2 * tp / (2 * tp + fp + fn);
            if (f1 > best) {
                best = f1;
                bestT = t;
            }
        }
        return new double[] {best, bestT};
    }

    /** Pixel-level ROC accumulated bin by bin over {@code [0, max]}. */
    static final class PixelRoc {
        private static final int BINS = 1 << 16;
        private final long[] pos = new long[BINS];
        private final long[] neg = new long[BINS];
        private final double max;

        PixelRoc(double max) {
            this.max = max > 0 ? max : 1;
        }

        void add(float score, boolean defect) {
            int b = (int) Math.min(BINS - 1, Math.max(0, score / max * (BINS - 1)));
            (defect ? pos : neg)[b]++;
        }

        double auroc() {
            long p = 0;
            long n = 0;
            for (int i = 0; i < BINS; i++) {
                p += pos[i];
                n += neg[i];
            }
            if (p == 0 || n == 0) {
                return Double.NaN;
            }
            double sum = 0;
            long negBelow = 0;
            for (int i = 0; i < BINS; i++) {
                sum += pos[i] * (negBelow + 0.5 * neg[i]);
                negBelow += neg[i];
            }
            return sum / ((double) p * n);
        }
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
