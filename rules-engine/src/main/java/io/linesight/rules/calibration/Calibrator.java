/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.calibration;

import io.linesight.rules.cv.OpenCv;
import java.util.ArrayList;
import java.util.List;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.MatOfPoint3f;
import org.opencv.core.Point;
import org.opencv.core.Point3;
import org.opencv.core.Size;
import org.opencv.core.TermCriteria;
import org.opencv.imgproc.Imgproc;

/**
 * Makes a {@link ShotCalibration} from images of a calibration target lying in the part's plane: a checkerboard
 * (inner corners) or a symmetric circle grid. The lens model comes from {@code calibrateCamera}; the scale is the
 * target's pitch over the mean distance between neighbouring undistorted points. Offline (teach time), not on the
 * inspection path.
 */
public final class Calibrator {
    private Calibrator() {
    }

    public enum Target { CHECKERBOARD, CIRCLE_GRID }

    /**
     * @param images  8-bit greyscale images of the target (one is enough for the scale; several for a good lens model)
     * @param cols    inner corners (or circles) per row
     * @param rows    inner corners (or circles) per column
     * @param pitchMm distance between neighbouring corners or circle centres
     * @throws IllegalArgumentException naming the image in which the target was not found
     */
    public static ShotCalibration calibrate(List<Mat> images, Target target, int cols, int rows, double pitchMm) {
        OpenCv.ensureLoaded();
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no calibration images");
        }
        Size pattern = new Size(cols, rows);
        List<Mat> imagePoints = new ArrayList<>();
        List<Mat> objectPoints = new ArrayList<>();
        Point3[] grid = new Point3[cols * rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                grid[r * cols + c] = new Point3(c * pitchMm, r * pitchMm, 0);
            }
        }
        for (int i = 0; i < images.size(); i++) {
            Mat img = images.get(i);
            MatOfPoint2f corners = new MatOfPoint2f();
            boolean found = target == Target.CHECKERBOARD
                    ? Calib3d.findChessboardCorners(img, pattern, corners, Calib3d.CALIB_CB_ADAPTIVE_THRESH | Calib3d.CALIB_CB_NORMALIZE_IMAGE)
                    : Calib3d.findCirclesGrid(img, pattern, corners, Calib3d.CALIB_CB_SYMMETRIC_GRID);
            if (!found) {
                throw new IllegalArgumentException("calibration image " + (i + 1) + " of " + images.size() + ": no "
                        + cols + "x" + rows + " " + target.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " found");
            }
            if (target == Target.CHECKERBOARD) {
                Imgproc.cornerSubPix(img, corners, new Size(5, 5), new Size(-1, -1),
                        new TermCriteria(TermCriteria.EPS + TermCriteria.COUNT, 50, 0.001));
            }
            imagePoints.add(corners);
            objectPoints.add(new MatOfPoint3f(grid));
        }
        Mat k = new Mat();
        Mat dist = new Mat();
        List<Mat> rvecs = new ArrayList<>();
        List<Mat> tvecs = new ArrayList<>();
        // One view cannot separate focal length from distance: fix the principal point and tangential terms then.
        int flags = images.size() < 3 ? Calib3d.CALIB_FIX_PRINCIPAL_POINT | Calib3d.CALIB_ZERO_TANGENT_DIST
                | Calib3d.CALIB_FIX_K3 | Calib3d.CALIB_FIX_ASPECT_RATIO : 0;
        if ((flags & Calib3d.CALIB_FIX_ASPECT_RATIO) != 0) {
            k = Mat.eye(3, 3, org.opencv.core.CvType.CV_64F);
        }
        double rms = Calib3d.calibrateCamera(objectPoints, imagePoints, images.getFirst().size(), k, dist, rvecs, tvecs, flags);
        List<Double> cameraMatrix = new ArrayList<>(9);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                cameraMatrix.add(k.get(r, c)[0]);
            }
        }
        List<Double> distortion = new ArrayList<>(5);
        for (int i = 0; i < Math.min(5, (int) dist.total()); i++) {
            distortion.add(dist.get(0, i)[0]);
        }
        ShotCalibration lens = new ShotCalibration(1, cameraMatrix, distortion, rms, null);
        double sum = 0;
        int n = 0;
        for (Mat pts : imagePoints) {
            Point[] p = ((MatOfPoint2f) pts).toArray();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    if (c + 1 < cols) {
                        sum += lens.lengthMm(p[r * cols + c].x, p[r * cols + c].y, p[r * cols + c + 1].x, p[r * cols + c + 1].y);
                        n++;
                    }
                    if (r + 1 < rows) {
                        sum += lens.lengthMm(p[r * cols + c].x, p[r * cols + c].y, p[(r + 1) * cols + c].x, p[(r + 1) * cols + c].y);
                        n++;
                    }
                }
            }
            pts.release();
        }
        String source = String.format(java.util.Locale.ROOT, "%s %dx%d @ %s mm, %d image(s)",
                target.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), cols, rows, pitchMm, images.size());
        objectPoints.forEach(Mat::release);
        rvecs.forEach(Mat::release);
        tvecs.forEach(Mat::release);
        k.release();
        dist.release();
        return new ShotCalibration(pitchMm / (sum / n), cameraMatrix, distortion, rms, source);
    }

}
