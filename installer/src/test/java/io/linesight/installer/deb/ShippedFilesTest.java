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
            Files.copy(DEB.resolve("root/etc/linesight/station.yaml.example"), etc.resolve("station.yaml"));
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
            assertThat(loaded.config().broker().embedded()).as("the package has no embedded demo broker").isFalse();
        }

        @Test
        void isOnlyAnExample_soAFreshInstallRunsNoStation() {
            assertThat(DEB.resolve("root/etc/linesight/station.yaml")).doesNotExist();
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
                assertThat(f).as("a conffile station.yaml would start a station on install").isNotEqualTo("/etc/linesight/station.yaml");
                assertThat(fromStationJar || Files.isRegularFile(DEB.resolve("root" + f))).as(f).isTrue();
            }
        }
    }

    @Nested
    class Units {
        @TempDir
        Path sysroot;

        /** A root with the host's units, the package's, and stand-ins for the programs they start. */
        private Path unitRoot() throws Exception {
            Path units = Files.createDirectories(sysroot.resolve("lib/systemd/system"));
            Path host = Path.of("/lib/systemd/system");
            if (Files.isDirectory(host)) {
                try (var s = Files.list(host)) {
                    for (Path f : s.filter(f -> !Files.isDirectory(f)).toList()) {
                        Files.copy(f, units.resolve(f.getFileName().toString()), java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    }
                }
            }
            for (String u : List.of("linesight.service", "linesight-kiosk.service")) {
                Files.copy(DEB.resolve("root/lib/systemd/system/" + u), units.resolve(u),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            for (String exe : List.of("opt/linesight/bin/linesight", "usr/bin/cage")) {
                Path f = sysroot.resolve(exe);
                Files.createDirectories(f.getParent());
                Files.writeString(f, "#!/bin/sh\n");
                f.toFile().setExecutable(true);
            }
            return sysroot;
        }

        private static String systemdAnalyze(List<String> args) throws Exception {
            boolean present = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"));
            if (System.getenv("CI") == null) {
                org.assertj.core.api.Assumptions.assumeThat(present).as("systemd-analyze (package systemd) is not installed").isTrue();
            }
            List<String> cmd = new java.util.ArrayList<>(List.of("systemd-analyze"));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
            return out;
        }

        @Test
        void bothUnits_passSystemdAnalyzeVerify() throws Exception {
            Path root = unitRoot();
            String out = systemdAnalyze(List.of("verify", "--root=" + root, "/lib/systemd/system/linesight.service",
                    "/lib/systemd/system/linesight-kiosk.service"));
            assertThat(out).as("systemd-analyze verify says nothing about good units").isBlank();
        }

        @Test
        void bothUnits_scoreOkOrBetter_inSystemdAnalyzeSecurity_asInstallerReadmeSays() throws Exception {
            Path root = unitRoot();
            String readme = Files.readString(Path.of("README.md"));
            for (String u : List.of("linesight.service", "linesight-kiosk.service")) {
                String out = systemdAnalyze(List.of("security", "--offline=true", "--root=" + root, u));
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("Overall exposure level for " + java.util.regex.Pattern.quote(u) + ": ([0-9.]+) (\\w+)")
                        .matcher(out);
                assertThat(m.find()).as(out).isTrue();
                double score = Double.parseDouble(m.group(1));
                assertThat(score).as(u + " exposure (systemd: below 4.0 is OK, below 2.0 good)").isLessThan(4.0);
                assertThat(readme).as("installer/README.md states the score of " + u)
                        .contains("| `" + u + "` | " + m.group(1) + " " + m.group(2) + " |");
            }
        }

        @Test
        void bothUnits_waitForAConfiguredStation_andAreHardened() throws IOException {
            for (String u : List.of("linesight.service", "linesight-kiosk.service")) {
                String unit = Files.readString(DEB.resolve("root/lib/systemd/system/" + u));
                assertThat(unit).as(u).contains("ConditionPathExists=/etc/linesight/station.yaml", "ProtectSystem=strict",
                        "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectKernelLogs=yes",
                        "RestrictAddressFamilies=", "SystemCallFilter=@system-service", "CapabilityBoundingSet=CAP_NET_RAW",
                        "NoNewPrivileges=yes", "UMask=0027", "ReadWritePaths=/var/lib/linesight");
            }
        }

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
            assertThat(unit).contains("Conflicts=linesight.service", "Restart=always",
                    "linesight run --kiosk --config /etc/linesight/station.yaml").doesNotContain("--headless");
        }
    }
}
