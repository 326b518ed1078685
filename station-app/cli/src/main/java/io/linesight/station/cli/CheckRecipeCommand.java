/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.bind.Bound;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.inference.api.Detector;
import io.linesight.inference.api.Detectors;
import io.linesight.inference.api.InferenceException;
import io.linesight.station.inspect.ActiveRecipe;
import io.linesight.station.inspect.ClassKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checks recipe files; prints every error with file, line and field path; exit code 1 if any file is bad. A recipe
 * with a model also has the model opened (on CPU, whatever the recipe's provider) so that the judge's class names can
 * be checked against the model's classes, as the station does when it loads the recipe.
 */
@Command(name = "check-recipe", mixinStandardHelpOptions = true,
        description = "Check recipe files: prints every error (file:line path: value reason), or OK.")
final class CheckRecipeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "recipe YAML files")
    List<Path> files;

    @Option(names = "--config", paramLabel = "STATION_YAML",
            description = "also check cameras, lights and ROIs against this station")
    Path config;

    @Override
    public Integer call() {
        StationConfig station = null;
        if (config != null) {
            try {
                station = StationConfigLoader.load(config, config.toString()).config();
            } catch (ConfigException e) {
                e.errors().forEach(err -> System.out.println(err));
                return 1;
            }
        }
        boolean allGood = true;
        for (Path f : files) {
            Path dir = f.toAbsolutePath().getParent();
            try {
                Bound<Recipe> bound = RecipeLoader.loadWithLines(f, f.toString(), dir, station);
                checkClassNames(bound, f.toString(), dir);
                System.out.println(f + ": OK");
                printModel(bound.value(), dir);
            } catch (ConfigException e) {
                allGood = false;
                for (ConfigError err : e.errors()) {
                    System.out.println(err);
                }
            }
        }
        return allGood ? 0 : 1;
    }

    /**
     * The judge's class names against the model's classes (a misspelt one would leave its class on the defaults); a
     * model that cannot be opened is an error too, since the station would refuse the recipe for it.
     */
    private static void checkClassNames(Bound<Recipe> bound, String source, Path recipeDir) throws ConfigException {
        Recipe recipe = bound.value();
        ModelSpec m = recipe.model();
        if (m == null) {
            ClassKeys.check(recipe, source, bound::lineOf, "", List.of());
            return;
        }
        // CPU, one thread, no warm-up: only the model's classes are needed here, on whatever machine checks
        ModelSpec onCpu = new ModelSpec(m.path(), m.shots(), m.confidence(), m.classConfidence(), m.iou(),
                m.agnosticNms(), m.maxDetections(), m.classNames(), m.tiling(), "cpu", 1, 0, m.mono16Window(),
                m.allowUnevaluated(), null);
        try (Detector d = Detectors.open(onCpu, RecipeLoader.resolve(recipeDir, m.path()))) {
            ClassKeys.check(recipe, source, bound::lineOf, ActiveRecipe.label(d), d.info().classNames());
        } catch (InferenceException e) {
            throw new ConfigException(List.of(bound.error("model.path", m.path(), "cannot be opened: "
                    + e.getMessage())));
        }
    }

    /** What the engineer should know about the model before a changeover: how well it was judged, or that it was not. */
    private static void printModel(Recipe recipe, Path recipeDir) {
        ModelSpec m = recipe.model();
        if (m == null) {
            return;
        }
        Path record = EvaluationRecord.fileFor(recipeDir.resolve(m.path()));
        if (!Files.isRegularFile(record)) {
            System.out.println("  model " + m.path() + ": NOT EVALUATED (allowed by model.allowUnevaluated)");
            return;
        }
        try {
            EvaluationRecord r = EvaluationRecord.read(record);
            boolean same = r.sha256().equals(EvaluationRecord.sha256(recipeDir.resolve(m.path())));
            System.out.println("  model " + m.path() + ": " + (same ? r.summary()
                    : "NOT EVALUATED (its record is for another file; allowed by model.allowUnevaluated)"));
        } catch (IOException e) {
            System.out.println("  model " + m.path() + ": " + e.getMessage());
        }
    }
}
