/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.calibration;

import io.linesight.config.ConfigException;
import io.linesight.config.bind.YamlBinder;
import io.linesight.config.bind.YamlWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The calibrations of a recipe's shots, stored next to the recipe as {@code <recipe>.calibration.yaml}:
 * <pre>
 * shots:
 *   top: {mmPerPixel: 0.0421, cameraMatrix: [...], distortion: [...], rmsPx: 0.21, source: checkerboard 9x6 @ 5 mm}
 *   side: {mmPerPixel: 0.05}
 * </pre>
 */
public record CalibrationFile(Map<String, ShotCalibration> shots) {

    public CalibrationFile {
        shots = Map.copyOf(shots);
    }

    /** Where the calibration of recipe {@code recipeName} lives in the store. */
    public static Path pathFor(Path recipeDir, String recipeName) {
        return recipeDir.resolve(recipeName + ".calibration.yaml");
    }

    /** The file's calibrations, or none when the recipe has no calibration file. */
    public static CalibrationFile loadOrEmpty(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            return new CalibrationFile(Map.of());
        }
        return YamlBinder.bind(file, file.getFileName().toString(), CalibrationFile.class).value();
    }

    public void save(Path file) throws IOException {
        Files.writeString(file, YamlWriter.write(this), StandardCharsets.UTF_8);
    }

    /** Scale of each shot, for the Judge's mm² limits. */
    public Map<String, Double> mmPerPixel() {
        Map<String, Double> out = new java.util.HashMap<>();
        shots.forEach((k, v) -> out.put(k, v.mmPerPixel()));
        return Map.copyOf(out);
    }
}
