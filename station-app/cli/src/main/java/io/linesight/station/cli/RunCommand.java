/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigException;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs a station from its station.yaml with real devices. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the station described by a station.yaml.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "STATION_YAML", description = "the station's configuration")
    Path config;

    @Mixin
    StationOptions options = new StationOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        LoadedStation loaded;
        try {
            loaded = StationConfigLoader.load(config, config.toString());
        } catch (ConfigException e) {
            e.errors().forEach(System.out::println);
            return 2;
        }
        return new StationRunner(System.out).run(loaded, options);
    }
}
