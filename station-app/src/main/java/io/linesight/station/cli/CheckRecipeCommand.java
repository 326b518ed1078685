/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
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
                RecipeLoader.load(f, f.toString(), dir, station);
                System.out.println(f + ": OK");
            } catch (ConfigException e) {
                allGood = false;
                for (ConfigError err : e.errors()) {
                    System.out.println(err);
                }
            }
        }
        return allGood ? 0 : 1;
    }
}
