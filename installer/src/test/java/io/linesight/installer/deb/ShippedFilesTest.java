/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.deb;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the package ships, checked from the sources without building the package (fast, every CI run). */
class ShippedFilesTest {
    private static final Path DEB = Path.of("src/deb");

    @Nested
    class StationYaml {
        @TempDir
        Path etc;

        @Test
        void loadsWithTheShippedRecipe_andPointsAtProductionPaths() throws Exception {
            Files.copy(DEB.resolve("root/etc/linesight/station.yaml"), etc.resolve("station.yaml"));
            Files.createDirectories(etc.resolve("recipes"));
            try (InputStream recipe = StationConfigLoader.class.getResourceAsStream("/demo/recipes/bracket.yaml")) {
                assertThat(recipe).as("the station jar ships the demo recipe the package takes").isNotNull();
                Files.copy(recipe, etc.resolve("recipes/bracket.yaml"));
            }
            Files.createDirectories(etc.resolve("recipes/models"));
            for (String f : new String[] {"bracket-defects.onnx", "bracket-defects.onnx.eval.json"}) {
                try (InputStream model = StationConfigLoader.class.getResourceAsStream("/demo/recipes/models/" + f)) {
                    assertThat(model).as("the station jar ships the demo recipe's model and its evaluation record: " + f).isNotNull();
                    Files.copy(model, etc.resolve("recipes/models/" + f));
                }
            }
            LoadedStation loaded = StationConfigLoader.load(etc.resolve("station.yaml"));
            Recipe recipe = RecipeLoader.load(loaded.recipeDir().resolve(loaded.config().recipe()), "bracket.yaml",
                    loaded.recipeDir(), loaded.config());

            assertThat(loaded.dataDir()).isEqualTo(Path.of("/var/lib/linesight"));
            assertThat(loaded.recipeDir()).isEqualTo(etc.resolve("recipes"));
            assertThat(recipe.name()).isEqualTo("bracket");
        }
    }

    @Nested
    class MaintainerScripts {
        @Test
        void areValidShell() throws Exception {
            for (String script : List.of("postinst", "prerm", "postrm")) {
                Process p = new ProcessBuilder("sh", "-n", DEB.resolve("DEBIAN/" + script).toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(script + ": " + out).isZero();
            }
        }

        @Test
        void callSystemctlOnlyWhenSystemdRuns() throws IOException {
            for (String script : List.of("postinst", "prerm", "postrm")) {
                List<String> lines = Files.readAllLines(DEB.resolve("DEBIAN/" + script));
                assertThat(lines).as(script).anyMatch(l -> l.contains("[ -d /run/systemd/system ]"));
                boolean guarded = false;
                for (String l : lines) {
                    if (l.contains("if have_systemd")) {
                        guarded = true;
                    }
                    if (l.strip().startsWith("systemctl")) {
                        assertThat(guarded).as(script + ": '" + l.strip() + "' runs before the systemd check").isTrue();
                    }
                }
            }
        }

        @Test
        void removeKeepsData_purgeDeletesIt() throws IOException {
            String postrm = Files.readString(DEB.resolve("DEBIAN/postrm"));
            String purge = postrm.substring(postrm.indexOf("  purge)"), postrm.indexOf(";;", postrm.indexOf("  purge)")));
            String remove = postrm.substring(postrm.indexOf("  remove)"), postrm.indexOf(";;", postrm.indexOf("  remove)")));
            assertThat(purge).contains("rm -rf /var/lib/linesight", "rm -rf /etc/linesight");
            assertThat(remove).doesNotContain("rm ");
        }

        @Test
        void conffilesExist() throws IOException {
            for (String f : Files.readAllLines(DEB.resolve("DEBIAN/conffiles"))) {
                boolean fromStationJar = f.equals("/etc/linesight/recipes/bracket.yaml");
                assertThat(fromStationJar || Files.isRegularFile(DEB.resolve("root" + f))).as(f).isTrue();
            }
        }
    }

    @Nested
    class Units {
        @Test
        void stationService_restartsAlways_underWatchdogAndLimits() throws IOException {
            String unit = Files.readString(DEB.resolve("root/lib/systemd/system/linesight.service"));
            assertThat(unit).contains("Type=notify", "WatchdogSec=", "Restart=always", "User=linesight", "LimitNOFILE=",
                    "MemoryMax=", "ExecStart=/opt/linesight/bin/linesight run --headless --config /etc/linesight/station.yaml",
                    "WantedBy=multi-user.target");
            assertThat(unit).doesNotContain("--quiet"); // the watchdog listens to the progress lines
        }

        @Test
        void kiosk_replacesTheHeadlessStation() throws IOException {
            String unit = Files.readString(DEB.resolve("root/lib/systemd/system/linesight-kiosk.service"));
            assertThat(unit).contains("Conflicts=linesight.service", "Restart=always", "run --config /etc/linesight/station.yaml")
                    .doesNotContain("--headless");
        }
    }
}
