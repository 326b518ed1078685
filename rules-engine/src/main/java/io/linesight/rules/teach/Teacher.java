/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.teach;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.config.recipe.rule.GoldenRuleSpec;
import io.linesight.config.recipe.rule.RuleSpec;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.config.PixelFormat;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.circle.CircleRule;
import io.linesight.rules.cv.OpenCv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Teaches a recipe from a good part: writes each template rule's pattern and each golden rule's ROI as 8-bit PNGs
 * into the recipe store (at the paths the rules name), and sets each circle rule's datum to the centre it measures
 * on the good part. The good image defines the taught coordinates, so no fixture is applied. Returns the updated
 * recipe (same name and version: saving it, and counting the version, is the caller's business). A teach that is
 * refused (an {@link IOException} for any rule) writes nothing.
 *
 * <p>Called from the command line ({@code ./station teach}) and the HMI, never on the inspection path.
 */
public final class Teacher {
    private Teacher() {
    }

    /** Teaches every shot from one image file (8- or 16-bit greyscale). */
    public static Recipe teach(Recipe recipe, Path recipeDir, Path goodImage) throws IOException {
        OpenCv.ensureLoaded();
        Mat m = Imgcodecs.imread(goodImage.toString(), Imgcodecs.IMREAD_GRAYSCALE);
        if (m.empty()) {
            throw new IOException("cannot read image " + goodImage);
        }
        try {
            return teach(recipe, recipeDir, shot -> m);
        } finally {
            m.release();
        }
    }

    /** Teaches from one good frame per shot (frames stay owned by the caller). */
    public static Recipe teach(Recipe recipe, Path recipeDir, Map<String, Frame> goodFrames) throws IOException {
        OpenCv.ensureLoaded();
        List<Mat> converted = new ArrayList<>();
        try {
            return teach(recipe, recipeDir, shot -> {
                Frame f = goodFrames.get(shot);
                if (f == null) {
                    return null;
                }
                Mat wrapped = OpenCv.wrap(f);
                Mat eight = new Mat();
                if (f.pixelFormat() == PixelFormat.MONO8) {
                    wrapped.copyTo(eight);
                } else {
                    wrapped.convertTo(eight, CvType.CV_8U, 255.0 / f.pixelFormat().maxValue());
                }
                wrapped.release();
                converted.add(eight);
                return eight;
            });
        } finally {
            converted.forEach(Mat::release);
        }
    }

    private interface Images {
        @Nullable Mat of(String shot);
    }

    private static Recipe teach(Recipe recipe, Path recipeDir, Images images) throws IOException {
        // Everything is cut and measured before any file is written: a teach refused for one rule (the wrong part on
        // the stage, a ROI that does not fit) must not leave the other rules' taught images replaced.
        List<RuleSpec> out = new ArrayList<>(recipe.rules().size());
        List<Cut> cuts = new ArrayList<>();
        for (RuleSpec spec : recipe.rules()) {
            Mat image = images.of(spec.shot());
            if (image == null) {
                out.add(spec);
                continue;
            }
            out.add(switch (spec) {
                case TemplateRuleSpec t -> {
                    cuts.add(Cut.of(image, t.pattern(), recipeDir, t.image(), t.name()));
                    yield t;
                }
                case GoldenRuleSpec g -> {
                    cuts.add(Cut.of(image, g.roi(), recipeDir, g.image(), g.name()));
                    yield g;
                }
                case CircleRuleSpec c -> teachDatum(c, image);
                default -> spec;
            });
        }
        Cut.writeAll(cuts);
        return new Recipe(recipe.name(), recipe.version(), recipe.productCode(), recipe.description(), recipe.shots(),
                out, recipe.model(), recipe.judge(), recipe.archive());
    }

    /** One taught image: the part of the teach image inside {@code roi}, to be written to {@code file}. */
    private record Cut(Mat image, Roi roi, Path file, String rule) {
        static Cut of(Mat image, Roi roi, Path recipeDir, String relative, String rule) throws IOException {
            if (!roi.fitsIn(image.cols(), image.rows())) {
                throw new IOException("rule " + rule + ": ROI " + roi + " does not fit the " + image.cols() + "x"
                        + image.rows() + " teach image");
            }
            return new Cut(image, roi, RecipeLoader.resolve(recipeDir, relative), rule);
        }

        /**
         * Writes every cut beside its file first and renames them into place only when all are written, so that a
         * failed write (a full disk) leaves the taught images as they were, and a recipe loaded meanwhile never reads
         * a half-written one.
         */
        static void writeAll(List<Cut> cuts) throws IOException {
            List<Path> written = new ArrayList<>(cuts.size());
            try {
                for (Cut c : cuts) {
                    written.add(c.writeBeside());
                }
            } catch (IOException | RuntimeException e) {
                for (Path p : written) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException left) {
                        e.addSuppressed(left);
                    }
                }
                throw e;
            }
            for (int i = 0; i < cuts.size(); i++) {
                Files.move(written.get(i), cuts.get(i).file(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        }

        /** Writes the cut to a hidden file beside its own (same extension: it tells OpenCV the format); returns it. */
        private Path writeBeside() throws IOException {
            Files.createDirectories(file.getParent());
            Path beside = file.resolveSibling(".teach-" + file.getFileName());
            Mat crop = image.submat(new Rect(roi.x(), roi.y(), roi.width(), roi.height()));
            try {
                if (!Imgcodecs.imwrite(beside.toString(), crop)) {
                    Files.deleteIfExists(beside);
                    throw new IOException("rule " + rule + ": cannot write " + file);
                }
                return beside;
            } finally {
                crop.release();
            }
        }
    }

    private static CircleRuleSpec teachDatum(CircleRuleSpec c, Mat image) throws IOException {
        try (Frame f = MatFrames.of(image)) {
            RuleResult r = new CircleRule(c, null).evaluate(f, RuleContext.NONE);
            double x = value(r, "centreX");
            double y = value(r, "centreY");
            if (Double.isNaN(x) || Double.isNaN(y)) {
                throw new IOException("rule " + c.name() + ": no circle found on the good part (" + r.detail() + ")");
            }
            return c.withDatum(Math.round(x * 100) / 100.0, Math.round(y * 100) / 100.0, c.maxOffset());
        }
    }

    private static double value(RuleResult r, String name) {
        return r.measurements().stream().filter(m -> m.name().equals(name)).mapToDouble(Measurement::value)
                .findFirst().orElse(Double.NaN);
    }
}
