/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import io.linesight.inference.api.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Detection quality over a labelled set, computed as pycocotools does (greedy matching in score order, 101-point
 * interpolated AP, classes without ground truth left out of the mean), plus the inspection figures: precision and
 * recall at the recipe thresholds, a confusion matrix with a background row and column, escape and overkill rates.
 *
 * <p>Feed it every image with {@link #add}, predictions made at a low threshold (0.001, as Ultralytics' val); the
 * recipe thresholds filter them for the operating-point figures.
 */
public final class DetectionMetrics {
    /** IoU thresholds 0.50, 0.55, … 0.95. */
    static final float[] IOU_THRESHOLDS = {0.50f, 0.55f, 0.60f, 0.65f, 0.70f, 0.75f, 0.80f, 0.85f, 0.90f, 0.95f};

    private final List<String> classNames;
    private final float[] recipeThreshold;
    private final List<List<Scored>> scored; // [class * thresholds + iou threshold] -> (score, tp)
    private final int[] groundTruth;
    private final int[] tpAtRecipe;
    private final int[] fpAtRecipe;
    private final long[][] confusion; // [predicted or background][true or background]
    private int defectImages;
    private int escapes;
    private int goodImages;
    private int overkills;
    private int images;

    private record Scored(float score, boolean tp) {
    }

    /** A labelled box. */
    public record Truth(int classId, float x1, float y1, float x2, float y2) {
        Detection asBox() {
            return new Detection(x1, y1, x2, y2, classId, "", 1f);
        }
    }

    /**
     * @param recipeThreshold the recipe's minimum score per class id (confidence, or classConfidence where set)
     */
    public DetectionMetrics(List<String> classNames, float[] recipeThreshold) {
        this.classNames = List.copyOf(classNames);
        int c = classNames.size();
        if (recipeThreshold.length != c) {
            throw new IllegalArgumentException(recipeThreshold.length + " thresholds for " + c + " classes");
        }
        this.recipeThreshold = recipeThreshold.clone();
        this.scored = new ArrayList<>();
        for (int i = 0; i < c * IOU_THRESHOLDS.length; i++) {
            scored.add(new ArrayList<>());
        }
        this.groundTruth = new int[c];
        this.tpAtRecipe = new int[c];
        this.fpAtRecipe = new int[c];
        this.confusion = new long[c + 1][c + 1];
    }

    /** One image: its labels and the detector's predictions (any order). */
    public void add(List<Truth> truth, List<Detection> predictions) {
        images++;
        for (Truth t : truth) {
            checkClass(t.classId());
            groundTruth[t.classId()]++;
        }
        List<Detection> sorted = new ArrayList<>(predictions);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        for (Detection d : sorted) {
            checkClass(d.classId());
        }
        // AP: per IoU threshold, each prediction (best first) takes the unmatched label of its class it overlaps most
        for (int ti = 0; ti < IOU_THRESHOLDS.length; ti++) {
            boolean[] used = new boolean[truth.size()];
            for (Detection d : sorted) {
                int m = bestUnmatched(d, truth, used, IOU_THRESHOLDS[ti], true);
                if (m >= 0) {
                    used[m] = true;
                }
                scored.get(d.classId() * IOU_THRESHOLDS.length + ti).add(new Scored(d.score(), m >= 0));
            }
        }
        // operating point: recipe thresholds, IoU 0.5
        List<Detection> kept = sorted.stream().filter(d -> d.score() >= recipeThreshold[d.classId()]).toList();
        boolean[] used = new boolean[truth.size()];
        for (Detection d : kept) {
            int m = bestUnmatched(d, truth, used, 0.5f, true);
            if (m >= 0) {
                used[m] = true;
                tpAtRecipe[d.classId()]++;
            } else {
                fpAtRecipe[d.classId()]++;
            }
        }
        confusion(truth, kept);
        if (truth.isEmpty()) {
            goodImages++;
            if (!kept.isEmpty()) {
                overkills++;
            }
        } else {
            defectImages++;
            if (kept.isEmpty()) {
                escapes++;
            }
        }
    }

    private void confusion(List<Truth> truth, List<Detection> kept) {
        int bg = classNames.size();
        boolean[] usedTruth = new boolean[truth.size()];
        boolean[] usedPred = new boolean[kept.size()];
        // pairs of any class with IoU >= 0.5, best overlap first
        record Pair(int t, int p, float iou) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            Detection tb = truth.get(t).asBox();
            for (int p = 0; p < kept.size(); p++) {
                float iou = tb.iou(kept.get(p));
                if (iou >= 0.5f) {
                    pairs.add(new Pair(t, p, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        for (Pair pr : pairs) {
            if (!usedTruth[pr.t()] && !usedPred[pr.p()]) {
                usedTruth[pr.t()] = true;
                usedPred[pr.p()] = true;
                confusion[kept.get(pr.p()).classId()][truth.get(pr.t()).classId()]++;
            }
        }
        for (int t = 0; t < truth.size(); t++) {
            if (!usedTruth[t]) {
                confusion[bg][truth.get(t).classId()]++;
            }
        }
        for (int p = 0; p < kept.size(); p++) {
            if (!usedPred[p]) {
                confusion[kept.get(p).classId()][bg]++;
            }
        }
    }

    private static int bestUnmatched(Detection d, List<Truth> truth, boolean[] used, float thr, boolean sameClass) {
        int best = -1;
        float bestIou = thr;
        for (int i = 0; i < truth.size(); i++) {
            Truth t = truth.get(i);
            if (used[i] || (sameClass && t.classId() != d.classId())) {
                continue;
            }
            float iou = d.iou(t.asBox());
            if (iou >= bestIou) {
                bestIou = iou;
                best = i;
            }
        }
        return best;
    }

    private void checkClass(int c) {
        if (c < 0 || c >= classNames.size()) {
            throw new IllegalArgumentException("class id " + c + " outside 0.." + (classNames.size() - 1));
        }
    }

    /** Average precision of a class at one IoU threshold index; NaN when the class has no labels. */
    public double ap(int classId, int iouIndex) {
        int n = groundTruth[classId];
        if (n == 0) {
            return Double.NaN;
        }
        List<Scored> s = new ArrayList<>(scored.get(classId * IOU_THRESHOLDS.length + iouIndex));
        s.sort(Comparator.comparingDouble(Scored::score).reversed());
        int m = s.size();
        double[] precision = new double[m];
        double[] recall = new double[m];
        int tp = 0;
        for (int i = 0; i < m; i++) {
            if (s.get(i).tp()) {
                tp++;
            }
            precision[i] = (double) tp / (i + 1);
            recall[i] = (double) tp / n;
        }
        for (int i = m - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double sum = 0;
        int j = 0;
        for (int r = 0; r <= 100; r++) {
            double rt = r / 100.0;
            while (j < m && recall[j] < rt) {
                j++;
            }
            sum += j < m ? precision[j] : 0;
        }
        return sum / 101;
    }

    /** AP at IoU 0.5 of a class; NaN without labels. */
    public double ap50(int classId) {
        return ap(classId, 0);
    }

    /** AP averaged over IoU 0.5:0.95 of a class; NaN without labels. */
    public double ap50to95(int classId) {
        if (groundTruth[classId] == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
            s += ap(classId, t);
        }
        return s / IOU_THRESHOLDS.length;
    }

    public double map50() {
        return meanOverLabelledClasses(true);
    }

    public double map50to95() {
        return meanOverLabelledClasses(false);
    }

    private double meanOverLabelledClasses(boolean at50) {
        double s = 0;
        int n = 0;
        for (int c = 0; c < classNames.size(); c++) {
            if (groundTruth[c] > 0) {
                s += at50 ? ap50(c) : ap50to95(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    public int groundTruth(int classId) {
        return groundTruth[classId];
    }

    /** Precision at the recipe thresholds and IoU 0.5; NaN when nothing was detected. */
    public double precision(int classId) {
        int d = tpAtRecipe[classId] + fpAtRecipe[classId];
        return d == 0 ? Double.NaN : (double) tpAtRecipe[classId] / d;
    }

    /** Recall at the recipe thresholds and IoU 0.5; NaN without labels. */
    public double recall(int classId) {
        return groundTruth[classId] == 0 ? Double.NaN : (double) tpAtRecipe[classId] / groundTruth[classId];
    }

    public double precision() {
        long tp = sum(tpAtRecipe);
        long d = tp + sum(fpAtRecipe);
        return d == 0 ? Double.NaN : (double) tp / d;
    }

    public double recall() {
        long gt = sum(groundTruth);
        return gt == 0 ? Double.NaN : (double) sum(tpAtRecipe) / gt;
    }

    private static long sum(int[] a) {
        long s = 0;
        for (int v : a) {
            s += v;
        }
        return s;
    }

    /** Rows predicted class then background, columns true class then background. */
    public long[][] confusionMatrix() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** Images with a labelled defect that would PASS (nothing detected at the recipe thresholds). */
    public double escapeRate() {
        return defectImages == 0 ? Double.NaN : (double) escapes / defectImages;
    }

    /** Defect-free images that would be REJECTed (something detected at the recipe thresholds). */
    public double overkillRate() {
        return goodImages == 0 ? Double.NaN : (double) overkills / goodImages;
    }

    public int images() {
        return images;
    }

    public int defectImages() {
        return defectImages;
    }

    public int goodImages() {
        return goodImages;
    }

    public int escapes() {
        return escapes;
    }

    public int overkills() {
        return overkills;
    }

    public List<String> classNames() {
        return classNames;
    }
}
