/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.linesight.rules.Synth;
import io.linesight.rules.cv.OpenCv;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

class CalibratorTest {
    static {
        OpenCv.ensureLoaded();
    }

    /** A 10x7-square checkerboard (9x6 inner corners) of 40 px squares, seen straight on. */
    static Mat board() {
        return Synth.render(640, 480, (x, y) -> {
            double u = x - 120;
            double v = y - 100;
            if (u < 0 || v < 0 || u >= 400 || v >= 280) {
                return 255;
            }
            return ((int) (u / 40) + (int) (v / 40)) % 2 == 0 ? 20 : 235;
        });
    }

    @Test
    void checkerboard_givesTheScaleOfItsSquares() {
        ShotCalibration cal = Calibrator.calibrate(List.of(board()), Calibrator.Target.CHECKERBOARD, 9, 6, 5.0);
        // 5 mm per 40 px.
        assertThat(cal.mmPerPixel()).isCloseTo(0.125, within(0.125 * 0.005));
        assertThat(cal.rmsPx()).isLessThan(0.5);
        assertThat(cal.lengthMm(100, 100, 500, 100)).isCloseTo(50, within(0.5));
    }

    @Test
    void noTarget_isRefusedNamingTheImage() {
        assertThatThrownBy(() -> Calibrator.calibrate(List.of(Synth.render(200, 200, (x, y) -> 128)),
                Calibrator.Target.CHECKERBOARD, 9, 6, 5.0)).hasMessageContaining("calibration image 1 of 1: no 9x6 checkerboard");
    }

    @Test
    void lensModel_undistortsPointsItDistorted() {
        ShotCalibration cal = new ShotCalibration(0.1, List.of(1000.0, 0.0, 320.0, 0.0, 1000.0, 240.0, 0.0, 0.0, 1.0),
                List.of(-0.2, 0.05, 0.0, 0.0), null, null);
        // Distort an ideal point with the same model, then undistort it.
        double xu = (600 - 320) / 1000.0;
        double yu = (400 - 240) / 1000.0;
        double r2 = xu * xu + yu * yu;
        double f = 1 - 0.2 * r2 + 0.05 * r2 * r2;
        double[] back = cal.undistort(xu * f * 1000 + 320, yu * f * 1000 + 240);
        assertThat(back[0]).isCloseTo(600, within(1e-6));
        assertThat(back[1]).isCloseTo(400, within(1e-6));
    }

    @Test
    void calibrationFile_roundTripsThroughYaml(@TempDir Path dir) throws Exception {
        CalibrationFile file = new CalibrationFile(Map.of("top", ShotCalibration.scale(0.0421)));
        Path p = CalibrationFile.pathFor(dir, "plate");
        file.save(p);
        assertThat(CalibrationFile.loadOrEmpty(p).shots().get("top").mmPerPixel()).isEqualTo(0.0421);
        assertThat(CalibrationFile.loadOrEmpty(dir.resolve("none.yaml")).shots()).isEmpty();
    }
}
