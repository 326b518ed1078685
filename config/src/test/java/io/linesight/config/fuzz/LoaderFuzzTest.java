/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The recipe and station loaders on any bytes: the only outcome besides a loaded file is a {@link ConfigException}
 * whose every error names this file and prints on one line; no other exception, no error, no hang (the timeout is
 * per input: JUnit's in a plain build, Jazzer's while fuzzing).
 *
 * <p>Seeds: {@code src/test/resources/io/linesight/config/fuzz/LoaderFuzzTestInputs/<method>/}; a finding lands
 * there too and is replayed by every build. How to fuzz: docs/RELIABILITY.md.
 */
class LoaderFuzzTest {
    static final String LABEL = "fuzz.yaml";
    /** A store with a model and a taught image, so recipes can pass the path checks and reach the station checks. */
    static final Path STORE = store();
    static final StationConfig STATION = station();

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryEntries({"name: ", "version: ", "shots:", "rules:", "model:", "judge:", "archive:", "- type: ",
        "blob", "golden", "template", "intensity", "caliper", "circle", "camera: top", "light:", "controller: ring",
        "exposureUs: ", "roi: {x: 0, y: 0, width: 8, height: 8}", "path: m.onnx", "image: g.png", "mask: ",
        "maxTotalArea: ", ".nan", ".inf", "1e400", "&a ", "*a", "!!str ", "\\0", "\\uD800", "---", "? "})
    @FuzzTest(maxDuration = "5m")
    void recipe(byte[] yaml) {
        try {
            RecipeLoader.parse(yaml, LABEL, STORE, STATION);
        } catch (ConfigException e) {
            assertWellFormed(e);
        }
    }

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryEntries({"line: ", "station: ", "cameras:", "lights:", "broker:", "storage:", "pipeline:", "trigger:",
        "sparkplug:", "- id: ", "driver: ", "synthetic", "width: ", "pixelFormat: mono16", "options: {a: b}",
        "url: tcp://h:1883", "jdbcUrl: ", "rateHz: ", ".nan", "&a ", "*a", "\\0"})
    @FuzzTest(maxDuration = "5m")
    void station(byte[] yaml) {
        try {
            StationConfigLoader.parse(yaml, LABEL, STORE);
        } catch (ConfigException e) {
            assertWellFormed(e);
        }
    }

    static void assertWellFormed(ConfigException e) {
        assertThat(e.errors()).isNotEmpty();
        for (ConfigError error : e.errors()) {
            assertThat(error.file()).isEqualTo(LABEL);
            assertThat(error.reason()).isNotBlank();
            assertThat(error.toString()).doesNotContain("\n").doesNotContain("\r");
        }
    }

    private static Path store() {
        try {
            Path dir = Files.createTempDirectory("linesight-fuzz-store");
            dir.toFile().deleteOnExit(); // registered first, deleted last
            for (String file : new String[] {"m.onnx", "g.png"}) {
                Files.write(dir.resolve(file), new byte[] {1}).toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StationConfig station() {
        try {
            return StationConfigLoader.parse("line: l1\nstation: s1\ncameras: [{id: top, driver: synthetic, width: 1280, "
                    + "height: 1024}]\nlights: [{id: ring, driver: simulated}]\n", "station.yaml", STORE).config();
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }
}
