/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigException;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The embedded default: synthetic camera, simulated light, demo recipe, in-process broker, SQLite. The demo
 * configuration ships inside the program and is written to {@code <data-dir>/config} at each start, so it can be
 * read and copied as the starting point of a real station.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the embedded demo station (synthetic camera, embedded broker, SQLite).")
final class DemoCommand implements Callable<Integer> {
    static final List<String> DEMO_FILES = List.of("station.yaml", "recipes/bracket.yaml",
            "recipes/models/bracket-defects.onnx", "recipes/models/bracket-defects.onnx.eval.json");

    @Mixin
    StationOptions options = new StationOptions();

    @Option(names = "--seed", paramLabel = "N", description = "seed of the synthetic camera (default from the demo config)")
    Long seed;

    @Option(names = "--camera", paramLabel = "KIND", defaultValue = "synthetic",
            description = "synthetic (default: renders parts with known defects) or aravis-fake (Aravis' in-process "
                    + "fake GenICam camera through the real libaravis stack; its test pattern has no defect truth)")
    String camera;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dataDir = options.dataDir != null ? options.dataDir : Path.of("data");
        options.dataDir = dataDir;
        Path configDir = extractDemoConfig(dataDir.resolve("config"));
        String yaml = Files.readString(configDir.resolve("station.yaml"));
        if (seed != null) {
            yaml = yaml.replaceFirst("seed: \"\\d+\"", "seed: \"" + seed + "\"");
        }
        switch (camera) {
            case "synthetic" -> options.printTruth = true;
            case "aravis-fake" -> {
                // The fake answers software triggers about every 90 ms: two shots a part, so a gentler rate and deadline.
                yaml = yaml.replace("driver: synthetic", "driver: genicam\n    device: Fake_1")
                        .replaceFirst("seed: \"\\d+\"", "fake: \"true\"").replaceFirst("\\s+defectRate: \"[0-9.]+\"", "")
                        .replace("deadlineMs: 500", "deadlineMs: 1500").replace("rateHz: 20", "rateHz: 4");
                Files.writeString(configDir.resolve("station.yaml"), yaml);
            }
            default -> {
                System.out.println("error: --camera must be synthetic or aravis-fake, not '" + camera + "'");
                return 2;
            }
        }
        LoadedStation loaded;
        try {
            loaded = StationConfigLoader.parse(yaml, configDir.resolve("station.yaml").toString(), configDir);
        } catch (ConfigException e) {
            e.errors().forEach(System.out::println);
            return 2;
        }
        return new StationRunner(System.out).run(loaded, options);
    }

    static Path extractDemoConfig(Path dir) throws IOException {
        for (String f : DEMO_FILES) {
            Path target = dir.resolve(f);
            Files.createDirectories(target.getParent());
            try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + f)) {
                if (in == null) {
                    throw new IOException("demo file missing from the program: " + f);
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
