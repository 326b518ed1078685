/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.blob;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.rules.AbstractRule;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.cv.Scratch;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Rect;
import org.opencv.core.RotatedRect;
import org.opencv.imgproc.Imgproc;

/**
 * Threshold + blob analysis in an ROI: blobs are outer contours of the thresholded region, filtered by area,
 * perimeter, circularity, elongation and bounding size; the rule checks their count and the largest and total area.
 * The threshold image and the 8-bit conversion live in the worker thread's {@link Scratch}.
 */
public final class BlobRule extends AbstractRule<BlobRuleSpec> {
    private static final int MAX_OVERLAY_BLOBS = 50;

    public BlobRule(BlobRuleSpec spec) {
        super(spec);
        OpenCv.ensureLoaded();
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        Rect rect = placeRoi(frame, ctx);
        if (rect == null) {
            return roiOutside(frame, t0);
        }
        Scratch scratch = Scratch.get();
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        Mat binary = scratch.mat(Scratch.BINARY);
        Mat hierarchy = scratch.mat(Scratch.HIERARCHY);
        List<MatOfPoint> contours = new ArrayList<>();
        try {
            double threshold = spec.thresholdValue();
            Mat src = view;
            if (frame.pixelFormat() != PixelFormat.MONO8 && spec.threshold() != BlobRuleSpec.Threshold.FIXED) {
                // Otsu and adaptive work on 8 bits: scale the format's full range down.
                src = OpenCv.to8Bit(view, frame.pixelFormat(), scratch.mat(Scratch.CONVERTED));
            }
            int inv = spec.polarity() == BlobRuleSpec.Polarity.DARK ? Imgproc.THRESH_BINARY_INV : Imgproc.THRESH_BINARY;
            switch (spec.threshold()) {
                case FIXED -> {
                    Imgproc.threshold(src, binary, threshold, 255, inv);
                    if (binary.depth() != CvType.CV_8U) {
                        binary.convertTo(binary, CvType.CV_8U);
                    }
                }
                case OTSU -> threshold = Imgproc.threshold(src, binary, 0, 255, inv | Imgproc.THRESH_OTSU);
                case ADAPTIVE -> Imgproc.adaptiveThreshold(src, binary, 255, Imgproc.ADAPTIVE_THRESH_MEAN_C, inv,
                        spec.adaptiveBlock(), spec.adaptiveOffset());
            }
            Imgproc.findContours(binary, contours, hierarchy, Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE);
            int count = 0;
            double largest = 0;
            double total = 0;
            List<Rect> counted = new ArrayList<>();
            for (MatOfPoint c : contours) {
                double area = Imgproc.contourArea(c);
                if (area < spec.minArea() || area > spec.maxArea()) {
                    continue;
                }
                Rect box = Imgproc.boundingRect(c);
                if (box.width < spec.minWidth() || box.width > spec.maxWidth()
                        || box.height < spec.minHeight() || box.height > spec.maxHeight()) {
                    continue;
                }
                if (spec.filtersShape() && !passesShape(c, area)) {
                    continue;
                }
                count++;
                largest = Math.max(largest, area);
                total += area;
                if (counted.size() < MAX_OVERLAY_BLOBS) {
                    counted.add(box);
                }
            }
            List<Measurement> ms = new ArrayList<>(4);
            ms.add(new Measurement("count", count, "", (double) spec.minCount(),
                    spec.maxCount() >= 1_000_000 ? null : (double) spec.maxCount()));
            ms.add(new Measurement("largestArea", largest, "px²", null, spec.maxLargestArea()));
            ms.add(new Measurement("totalArea", total, "px²", null, spec.maxTotalArea()));
            ms.add(Measurement.of("threshold", threshold, "grey"));
            List<String> failures = failures(count, largest, total);
            boolean pass = failures.isEmpty();
            List<Overlay> overlays = new ArrayList<>(counted.size() + 1);
            overlays.add(new Overlay.Box(rect.x, rect.y, rect.width, rect.height, pass, name() + " n=" + count));
            for (Rect b : counted) {
                overlays.add(new Overlay.Box(rect.x + b.x, rect.y + b.y, b.width, b.height, pass, ""));
            }
            return judged(failures, ms, overlays, t0);
        } finally {
            for (MatOfPoint c : contours) {
                c.release();
            }
            view.release();
            full.release();
        }
    }

    private boolean passesShape(MatOfPoint c, double area) {
        MatOfPoint2f c2 = new MatOfPoint2f(c.toArray());
        try {
            double perimeter = Imgproc.arcLength(c2, true);
            if (perimeter < spec.minPerimeter() || perimeter > spec.maxPerimeter()) {
                return false;
            }
            double circularity = perimeter > 0 ? 4 * Math.PI * area / (perimeter * perimeter) : 0;
            if (circularity < spec.minCircularity()) {
                return false;
            }
            if (spec.minElongation() > 1 || spec.maxElongation() < 1e6) {
                RotatedRect r = Imgproc.minAreaRect(c2);
                double lo = Math.max(1e-9, Math.min(r.size.width, r.size.height));
                double elongation = Math.max(r.size.width, r.size.height) / lo;
                return elongation >= spec.minElongation() && elongation <= spec.maxElongation();
            }
            return true;
        } finally {
            c2.release();
        }
    }

    private List<String> failures(int count, double largest, double total) {
        List<String> out = new ArrayList<>();
        if (count < spec.minCount()) {
            out.add("count " + count + " < min " + spec.minCount());
        }
        if (count > spec.maxCount()) {
            out.add("count " + count + " > max " + spec.maxCount());
        }
        if (spec.maxLargestArea() != null && largest > spec.maxLargestArea()) {
            out.add(String.format(Locale.ROOT, "largest blob %.0f px² > max %.0f", largest, spec.maxLargestArea()));
        }
        if (spec.maxTotalArea() != null && total > spec.maxTotalArea()) {
            out.add(String.format(Locale.ROOT, "total blob area %.0f px² > max %.0f", total, spec.maxTotalArea()));
        }
        return out;
    }
}
