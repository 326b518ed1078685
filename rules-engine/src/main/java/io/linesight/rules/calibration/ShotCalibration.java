/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.calibration;

import io.linesight.config.bind.Range;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Pixel to millimetre for one shot: a scale, and optionally the camera's lens model so that lengths are measured
 * between undistorted points.
 *
 * @param mmPerPixel   millimetres per (undistorted) pixel in the part's plane
 * @param cameraMatrix fx, 0, cx, 0, fy, cy, 0, 0, 1 (row-major), or empty for none
 * @param distortion   OpenCV's k1, k2, p1, p2[, k3], or empty for none
 * @param rmsPx        re-projection error of the calibration, px (for the record)
 * @param source       how it was made, e.g. {@code checkerboard 9x6 @ 5 mm, 3 images}
 */
public record ShotCalibration(
        @Range(min = 1e-9, max = 1e6) double mmPerPixel,
        List<Double> cameraMatrix,
        List<Double> distortion,
        @Nullable Double rmsPx,
        @Nullable String source) {

    public ShotCalibration {
        cameraMatrix = List.copyOf(cameraMatrix);
        distortion = List.copyOf(distortion);
        if (!cameraMatrix.isEmpty() && cameraMatrix.size() != 9) {
            throw new IllegalArgumentException("cameraMatrix must have 9 values (3x3, row-major), not " + cameraMatrix.size());
        }
        if (!distortion.isEmpty() && (cameraMatrix.isEmpty() || distortion.size() < 4 || distortion.size() > 5)) {
            throw new IllegalArgumentException("distortion needs a cameraMatrix and 4 or 5 values (k1, k2, p1, p2[, k3])");
        }
    }

    public static ShotCalibration scale(double mmPerPixel) {
        return new ShotCalibration(mmPerPixel, List.of(), List.of(), null, "scale");
    }

    public boolean corrects() {
        return !distortion.isEmpty();
    }

    /** The undistorted position of pixel (x, y), in pixels of the same camera; (x, y) itself without a lens model. */
    public double[] undistort(double x, double y) {
        if (!corrects()) {
            return new double[] {x, y};
        }
        double fx = cameraMatrix.get(0);
        double cx = cameraMatrix.get(2);
        double fy = cameraMatrix.get(4);
        double cy = cameraMatrix.get(5);
        double k1 = distortion.get(0);
        double k2 = distortion.get(1);
        double p1 = distortion.get(2);
        double p2 = distortion.get(3);
        double k3 = distortion.size() > 4 ? distortion.get(4) : 0;
        double xd = (x - cx) / fx;
        double yd = (y - cy) / fy;
        double xu = xd;
        double yu = yd;
        // Fixed-point inversion of the distortion model, as cv::undistortPoints does.
        for (int i = 0; i < 20; i++) {
            double r2 = xu * xu + yu * yu;
            double radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
            double dx = 2 * p1 * xu * yu + p2 * (r2 + 2 * xu * xu);
            double dy = p1 * (r2 + 2 * yu * yu) + 2 * p2 * xu * yu;
            xu = (xd - dx) / radial;
            yu = (yd - dy) / radial;
        }
        return new double[] {xu * fx + cx, yu * fy + cy};
    }

    /** The distance in mm between two frame pixels. */
    public double lengthMm(double x1, double y1, double x2, double y2) {
        double[] a = undistort(x1, y1);
        double[] b = undistort(x2, y2);
        return Math.hypot(b[0] - a[0], b[1] - a[1]) * mmPerPixel;
    }
}
