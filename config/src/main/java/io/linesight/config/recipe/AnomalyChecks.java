/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.ConfigError;
import io.linesight.config.bind.Bound;
import io.linesight.config.station.CameraConfig;
import org.jspecify.annotations.Nullable;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;

/**
 * The checks of a shot's {@code anomaly:} section that need files or the station: the model inside the recipe store,
 * readable as an anomaly model and evaluated for exactly this file; the mask an image of the frame's size; the ROI
 * inside the frame.
 */
final class AnomalyChecks {
    /** The entry every anomaly model file holds first of all (its metadata). */
    private static final String INFO_ENTRY = "model.json";

    private AnomalyChecks() {
    }

    static void check(Bound<Recipe> bound, String path, AnomalySpec a, Path recipeDir, List<ConfigError> errors) {
        if (RecipeLoader.checkStorePath(bound, path + ".model", a.model(), recipeDir, errors)) {
            Path file = RecipeLoader.resolve(recipeDir, a.model());
            String unreadable = unreadableModel(file);
            if (unreadable != null) {
                errors.add(bound.error(path + ".model", a.model(), unreadable));
            } else if (!a.allowUnevaluated()) {
                checkEvaluated(bound, path, a.model(), file, errors);
            }
        }
        if (a.mask() != null) {
            RecipeLoader.checkStorePath(bound, path + ".mask", a.mask(), recipeDir, errors);
        }
        RecipeLoader.checkProvider(bound, path + ".provider", a.provider(), errors);
    }

    /** ROI and mask against the camera's frame (only when the station is known). */
    static void checkFrame(Bound<Recipe> bound, String path, AnomalySpec a, Path recipeDir, CameraConfig cam,
                           List<ConfigError> errors) {
        Roi roi = a.roi();
        if (roi != null && !roi.fitsIn(cam.width(), cam.height())) {
            errors.add(bound.error(path + ".roi", roi.x() + "," + roi.y() + " " + roi.width() + "x" + roi.height(),
                    "must lie inside the " + cam.width() + "x" + cam.height() + " frame of camera " + cam.id()));
        }
        if (a.mask() == null) {
            return;
        }
        Path mask;
        try {
            mask = StorePaths.existingFile(recipeDir, a.mask());
        } catch (StorePathException e) {
            return; // already reported by check()
        }
        try {
            BufferedImage img = ImageIO.read(mask.toFile());
            if (img == null) {
                errors.add(bound.error(path + ".mask", a.mask(), "is not an image (PNG, BMP, JPEG)"));
            } else if (img.getWidth() != cam.width() || img.getHeight() != cam.height()) {
                errors.add(bound.error(path + ".mask", a.mask(), "is " + img.getWidth() + "x" + img.getHeight()
                        + ", the frame of camera " + cam.id() + " is " + cam.width() + "x" + cam.height()));
            }
        } catch (IOException e) {
            errors.add(bound.error(path + ".mask", a.mask(), "cannot be read: " + e.getMessage()));
        }
    }

    /** Why the file is not an anomaly model, or null when it looks like one (a zip holding {@code model.json}). */
    static @Nullable String unreadableModel(Path file) {
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(INFO_ENTRY)) {
                    return null;
                }
            }
            return "is not an anomaly model (no " + INFO_ENTRY + " inside; make one with ./station learn-good)";
        } catch (IOException e) {
            return "cannot be read as an anomaly model: " + e.getMessage();
        }
    }

    /** Like a detector: only a model judged by {@code eval-anomaly --record} for exactly this file goes on the line. */
    private static void checkEvaluated(Bound<Recipe> bound, String path, String value, Path model, List<ConfigError> errors) {
        Path file = EvaluationRecord.fileFor(model);
        String how = "; run `./station eval-anomaly --model " + value + " --good DIR --defects DIR --record` (it writes"
                + " the record), or set " + path + ".allowUnevaluated: true to run it anyway";
        if (!Files.isRegularFile(file)) {
            errors.add(bound.error(path + ".model", value, "has no evaluation record (" + file.getFileName() + ")" + how));
            return;
        }
        try {
            EvaluationRecord record = EvaluationRecord.read(file);
            String actual = EvaluationRecord.sha256(model);
            if (!record.sha256().equals(actual)) {
                errors.add(bound.error(path + ".model", value, "changed since it was evaluated: " + file.getFileName()
                        + " is for sha256 " + record.sha256().substring(0, Math.min(12, record.sha256().length()))
                        + "…, the file is " + actual.substring(0, 12) + "…" + how));
            }
        } catch (IOException e) {
            errors.add(bound.error(path + ".model", value, "evaluation record unreadable: " + e.getMessage() + how));
        }
    }
}
