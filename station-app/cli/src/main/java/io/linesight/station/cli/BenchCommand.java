/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigException;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.bench.BenchReport;
import io.linesight.station.bench.BenchRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code station bench}: model throughput, capacity, goodput under overload, stage breakdown and PLC latency. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure in one run: the recipe's model alone, the station's capacity (the highest rate with no "
                + "TIMEOUT or QUEUE_FULL and at most 1%% OVERLOAD over N parts: doubling, then bisection), goodput at 1.5x and 2x "
                + "capacity, a stage breakdown and trigger -> PLC-subscriber latency through the configured broker "
                + "(embedded by default). Prints a table and ratios; --json writes them. Without --config: the demo.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "STATION_YAML", description = "a station's configuration (default: the demo)")
    @Nullable Path config;

    @Option(names = "--parts-per-step", paramLabel = "N", defaultValue = "200",
            description = "parts in each fixed-rate step (default: ${DEFAULT-VALUE})")
    int partsPerStep;

    @Option(names = "--max-time", paramLabel = "S", defaultValue = "240",
            description = "time budget in seconds; the capacity search stops early to keep it (default: ${DEFAULT-VALUE})")
    int maxSeconds;

    @Option(names = "--start-rate", paramLabel = "HZ", defaultValue = "10",
            description = "first rate of the capacity search (default: ${DEFAULT-VALUE})")
    double startRate;

    @Option(names = "--min-step-time", paramLabel = "S", defaultValue = "3",
            description = "each step also lasts at least S seconds of triggers (default: ${DEFAULT-VALUE})")
    double minStepSeconds;

    @Option(names = "--model-time", paramLabel = "S", defaultValue = "3",
            description = "seconds of each bare-model measurement (default: ${DEFAULT-VALUE})")
    double modelSeconds;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker URL instead of the configured one")
    @Nullable String broker;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "results, archive and journal of the bench's station (default: a new temporary folder)")
    @Nullable Path dataDir;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    @Nullable Path json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchRun.Settings settings;
        try {
            settings = new BenchRun.Settings(partsPerStep, maxSeconds, startRate, modelSeconds, minStepSeconds);
        } catch (IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            return 2;
        }
        Path data = dataDir != null ? dataDir : Files.createTempDirectory("linesight-bench");
        LoadedStation loaded;
        Recipe recipe;
        try {
            if (config != null) {
                loaded = StationConfigLoader.load(config, config.toString());
            } else {
                Path configDir = DemoCommand.extractDemoConfig(data.resolve("config"));
                Path file = configDir.resolve("station.yaml");
                loaded = StationConfigLoader.parse(Files.readString(file), file.toString(), configDir);
            }
            if (loaded.config().trigger().source() == io.linesight.config.station.TriggerConfig.Source.HARDWARE) {
                System.out.println("error: the bench triggers parts itself: trigger.source must be timer or mqtt, not "
                        + "hardware");
                return 2;
            }
            String recipeFile = loaded.config().recipe();
            if (recipeFile == null) {
                System.out.println("error: station.yaml names no recipe (key 'recipe')");
                return 2;
            }
            recipe = RecipeLoader.load(loaded.recipeDir().resolve(recipeFile), loaded.config().recipeDir() + "/" + recipeFile,
                    loaded.recipeDir(), loaded.config());
        } catch (ConfigException e) {
            e.errors().forEach(System.out::println);
            return 2;
        }
        System.out.println("bench: the station's results, archive and journal go to " + data.resolve("station").toAbsolutePath());
        BenchReport report = new BenchRun(settings, System.out).run(loaded, recipe, broker, data.resolve("station"));
        System.out.println();
        System.out.print(report.table());
        if (json != null) {
            report.writeJson(json);
            System.out.println("json: " + json.toAbsolutePath());
        }
        return 0;
    }
}
