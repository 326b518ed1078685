/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.blob;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.rules.Measurement;
import io.linesight.rules.Rule;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * Threshold + blob analysis in an ROI: blobs are outer contours of the thresholded region, filtered by area and
 * circularity; the rule checks their count and the largest and total area.
 */
public final class BlobRule implements Rule {
    private static final int MAX_OVERLAY_BLOBS = 50;
    private final BlobRuleSpec spec;

    public BlobRule(BlobRuleSpec spec) {
        this.spec = spec;
        OpenCv.ensureLoaded();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String shot() {
        return spec.shot();
    }

    @Override
    public RuleResult evaluate(Frame frame, RuleContext ctx) {
        long t0 = System.nanoTime();
        Roi roi = spec.roi();
        Rect rect = OpenCv.clip((int) Math.round(roi.x() + ctx.dx()), (int) Math.round(roi.y() + ctx.dy()),
                roi.width(), roi.height(), frame.width(), frame.height());
        if (rect == null) {
            return RuleResult.error(name(), shot(), "ROI lies outside the " + frame.width() + "x" + frame.height() + " frame",
                    System.nanoTime() - t0);
        }
        Mat full = OpenCv.wrap(frame);
        Mat view = full.submat(rect);
        Mat src8 = new Mat();
        Mat binary = new Mat();
        Mat hierarchy = new Mat();
        List<MatOfPoint> contours = new ArrayList<>();
        try {
            int threshold = spec.thresholdValue();
            Mat src = view;
            if (frame.pixelFormat() != PixelFormat.MONO8 && spec.threshold() != BlobRuleSpec.Threshold.FIXED) {
                // Otsu and adaptive work on 8 bits: scale the format's full range down.
                view.convertTo(src8, CvType.CV_8U, 255.0 / frame.pixelFormat().maxValue());
                src = src8;
            }
            int inv = spec.polarity() == BlobRuleSpec.Polarity.DARK ? Imgproc.THRESH_BINARY_INV : Imgproc.THRESH_BINARY;
            switch (spec.threshold()) {
                case FIXED -> {
                    Imgproc.threshold(src, binary, threshold, 255, inv);
                    if (binary.depth() != CvType.CV_8U) {
                        binary.convertTo(binary, CvType.CV_8U);
                    }
                }
                case OTSU -> threshold = (int) Math.round(Imgproc.threshold(src, binary, 0, 255, inv | Imgproc.THRESH_OTSU));
                case ADAPTIVE -> Imgproc.adaptiveThreshold(src, binary, 255, Imgproc.ADAPTIVE_THRESH_MEAN_C, inv, 51, 10);
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
                if (spec.minCircularity() > 0) {
                    MatOfPoint2f c2 = new MatOfPoint2f(c.toArray());
                    double perimeter = Imgproc.arcLength(c2, true);
                    c2.release();
                    double circularity = perimeter > 0 ? 4 * Math.PI * area / (perimeter * perimeter) : 0;
                    if (circularity < spec.minCircularity()) {
                        continue;
                    }
                }
                count++;
                largest = Math.max(largest, area);
                total += area;
                if (counted.size() < MAX_OVERLAY_BLOBS) {
                    counted.add(Imgproc.boundingRect(c));
                }
            }
            List<Measurement> ms = new ArrayList<>(3);
            ms.add(new Measurement("count", count, "", (double) spec.minCount(),
                    spec.maxCount() >= 1_000_000 ? null : (double) spec.maxCount()));
            ms.add(new Measurement("largestArea", largest, "px²", null, spec.maxLargestArea()));
            ms.add(new Measurement("totalArea", total, "px²", null, spec.maxTotalArea()));
            String failure = failure(count, largest, total);
            boolean pass = failure.isEmpty();
            List<Overlay> overlays = new ArrayList<>(counted.size() + 1);
            overlays.add(new Overlay.Box(rect.x, rect.y, rect.width, rect.height, pass,
                    name() + " n=" + count));
            for (Rect b : counted) {
                overlays.add(new Overlay.Box(rect.x + b.x, rect.y + b.y, b.width, b.height, pass, ""));
            }
            return new RuleResult(name(), shot(), pass, pass ? ReasonCode.NONE : ReasonCode.RULE_FAILED, failure, ms,
                    overlays, System.nanoTime() - t0);
        } finally {
            for (MatOfPoint c : contours) {
                c.release();
            }
            hierarchy.release();
            binary.release();
            src8.release();
            view.release();
            full.release();
        }
    }

    private String failure(int count, double largest, double total) {
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
        return String.join("; ", out);
    }

    static {
        // Core is referenced so that a missing native fails at class init with a clear UnsatisfiedLinkError.
        OpenCv.ensureLoaded();
        Core.getVersionString();
    }
}
