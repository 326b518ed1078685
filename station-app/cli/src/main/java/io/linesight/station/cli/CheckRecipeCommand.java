/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks recipe files; prints every error with file, line and field path; exit code 1 if any file is bad. */
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
                Recipe recipe = RecipeLoader.load(f, f.toString(), dir, station);
                System.out.println(f + ": OK");
                printModel(recipe, dir);
            } catch (ConfigException e) {
                allGood = false;
                for (ConfigError err : e.errors()) {
                    System.out.println(err);
                }
            }
        }
        return allGood ? 0 : 1;
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
