/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.StorePathException;
import io.linesight.config.recipe.StorePaths;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.config.recipe.rule.CaliperRuleSpec;
import io.linesight.config.recipe.rule.CircleRuleSpec;
import io.linesight.config.recipe.rule.GoldenRuleSpec;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
import io.linesight.config.recipe.rule.RuleSpec;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.blob.BlobRule;
import io.linesight.rules.calibration.CalibrationFile;
import io.linesight.rules.caliper.CaliperRule;
import io.linesight.rules.circle.CircleRule;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.golden.GoldenRule;
import io.linesight.rules.intensity.IntensityRule;
import io.linesight.rules.template.TemplateRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Builds the rule objects of a recipe.
 *
 * <p>{@link #of(Recipe, Path)} is the full form: it reads taught images (template, golden, mask) from the recipe
 * store and the shots' calibration ({@code <recipe>.calibration.yaml}, see {@link CalibrationFile}), and refuses the
 * recipe with every problem named by field path and file. {@link #of(Recipe)} builds recipes that need neither.
 */
public final class Rules {
    private Rules() {
    }

    /** For recipes without taught images or calibration; a template or golden rule is refused. */
    public static List<Rule> of(Recipe recipe) {
        return recipe.rules().stream().map(Rules::create).toList();
    }

    /**
     * All rules of a recipe, with images and calibration from the recipe store {@code recipeDir}. The caller owns the
     * rules and closes them ({@link #close(List)}) when the recipe is replaced; on failure nothing stays allocated.
     *
     * @throws ConfigException naming each rule whose image is missing, unreadable or of the wrong size, or a bad
     *                         calibration file
     */
    public static List<Rule> of(Recipe recipe, Path recipeDir) throws ConfigException {
        Path calFile = CalibrationFile.pathFor(recipeDir, recipe.name());
        CalibrationFile cal = CalibrationFile.loadOrEmpty(calFile);
        List<Rule> out = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        String label = recipe.name() + ".yaml";
        for (int i = 0; i < recipe.rules().size(); i++) {
            RuleSpec spec = recipe.rules().get(i);
            String path = "rules[" + i + "]";
            try {
                out.add(switch (spec) {
                    case TemplateRuleSpec t -> {
                        Mat template = image(recipeDir, t.image(), label, path + ".image");
                        try {
                            yield new TemplateRule(t, template);
                        } finally {
                            template.release();
                        }
                    }
                    case GoldenRuleSpec g -> golden(g, recipeDir, label, path);
                    case CaliperRuleSpec c -> new CaliperRule(c, cal.shots().get(c.shot()));
                    case CircleRuleSpec c -> new CircleRule(c, cal.shots().get(c.shot()));
                    default -> create(spec);
                });
            } catch (ConfigException e) {
                errors.addAll(e.errors());
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(label, 0, path, null, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            close(out);
            throw new ConfigException(errors);
        }
        return List.copyOf(out);
    }

    /** Closes every rule (frees golden and template images); for the owner of a replaced recipe's rules. */
    public static void close(List<? extends Rule> rules) {
        rules.forEach(Rule::close);
    }

    private static GoldenRule golden(GoldenRuleSpec g, Path recipeDir, String label, String path) throws ConfigException {
        Mat golden = image(recipeDir, g.image(), label, path + ".image");
        Mat mask = null;
        try {
            mask = g.mask() == null ? null : image(recipeDir, g.mask(), label, path + ".mask");
            return new GoldenRule(g, golden, mask);
        } finally {
            golden.release();
            if (mask != null) {
                mask.release();
            }
        }
    }

    /** A rule that needs nothing from the store; template and golden rules need {@link #of(Recipe, Path)}. */
    public static Rule create(RuleSpec spec) {
        return switch (spec) {
            case BlobRuleSpec b -> new BlobRule(b);
            case IntensityRuleSpec i -> new IntensityRule(i);
            case CaliperRuleSpec c -> new CaliperRule(c, null);
            case CircleRuleSpec c -> new CircleRule(c, null);
            case TemplateRuleSpec t -> throw new IllegalArgumentException("rule " + t.name()
                    + " needs its taught image: build the rules with Rules.of(recipe, recipeDir)");
            case GoldenRuleSpec g -> throw new IllegalArgumentException("rule " + g.name()
                    + " needs its golden image: build the rules with Rules.of(recipe, recipeDir)");
        };
    }

    /** The scale of each calibrated shot of the recipe, for {@code new Judge(recipe, scales)}. */
    public static Map<String, Double> mmPerPixel(Recipe recipe, Path recipeDir) throws ConfigException {
        return CalibrationFile.loadOrEmpty(CalibrationFile.pathFor(recipeDir, recipe.name())).mmPerPixel();
    }

    /**
     * Reads an 8-bit greyscale image from the store (symbolic links followed, and refused when they lead outside it);
     * a missing, truncated or unreadable file is a ConfigException naming it. The caller releases the Mat.
     */
    static Mat image(Path recipeDir, String relative, String label, String path) throws ConfigException {
        OpenCv.ensureLoaded();
        Path file;
        try {
            file = StorePaths.existingFile(recipeDir, relative);
        } catch (StorePathException e) {
            throw error(label, path, relative, e.getMessage()
                    + (e.kind() == StorePathException.Kind.MISSING ? " (teach the recipe first)" : ""));
        }
        Mat m = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_UNCHANGED);
        if (m.empty()) {
            m.release();
            throw error(label, path, relative, "is not an image OpenCV can read (truncated or not a PNG/JPEG?)");
        }
        if (m.type() != CvType.CV_8UC1) {
            Mat grey = new Mat();
            if (m.channels() == 1) {
                m.convertTo(grey, CvType.CV_8U, m.depth() == CvType.CV_16U ? 1 / 257.0 : 1);
            } else {
                Mat read = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_GRAYSCALE);
                read.copyTo(grey);
                read.release();
            }
            m.release();
            m = grey;
        }
        return m;
    }

    private static ConfigException error(String label, String path, @Nullable Object rejected, String reason) {
        return new ConfigException(List.of(new ConfigError(label, 0, path, rejected, reason)));
    }
}
