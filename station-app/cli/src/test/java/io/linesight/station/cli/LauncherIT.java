/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher jar the build packages ({@code target/linesight-station.jar}, what {@code ./station} runs), started as
 * its own process: a headless station runs without JavaFX or the HMI on its class path, and a station with a screen
 * loads the HMI from {@code lib/hmi/} beside the core. The JVM's class-loading log says what was loaded from where.
 */
class LauncherIT {
    private static final Path JAR = Path.of("target", "linesight-station.jar");

    @TempDir
    Path dir;

    @Test
    void theLaunchersClassPath_namesNoJavaFxAndNoHmi() throws IOException {
        assertThat(JAR).as("the packaged launcher (mvn package before the ITs)").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).contains("lib/linesight-station-core-").doesNotContain("javafx")
                    .doesNotContain("linesight-station-hmi");
        }
        assertThat(JAR.resolveSibling("lib").resolve("hmi")).as("the HMI's folder")
                .isDirectoryContaining("glob:**/linesight-station-hmi-*.jar")
                .isDirectoryContaining("glob:**/javafx-graphics-*-linux.jar");
    }

    @Test
    void aHeadlessStation_judgesItsParts_withoutLoadingJavaFxOrTheHmi() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"))) {
            Run run = launch(broker, "--headless");
            assertThat(run.exit).as("exit code; output:%n%s", run.output).isZero();
            assertThat(run.output).contains("parts=5 ");
            assertThat(run.classes).as("classes the JVM loaded").contains("io.linesight.station.Station ")
                    .doesNotContain("javafx.").doesNotContain("io.linesight.station.hmi.");
        }
    }

    @Test
    void aStationWithAScreen_loadsTheHmiFromItsFolder_andShowsTheParts() throws Exception {
        Peers.requireDisplay();
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"))) {
            Path png = dir.resolve("production.png");
            Run run = launch(broker, "--screenshot", png.toString());
            assertThat(run.exit).as("exit code; output:%n%s", run.output).isZero();
            assertThat(png).as("the production screen's screenshot").isNotEmptyFile();
            assertThat(run.classes).as("where the HMI came from")
                    .containsPattern("io\\.linesight\\.station\\.hmi\\.JavaFxHmi source: \\S*/lib/hmi/linesight-station-hmi-")
                    .containsPattern("javafx\\.application\\.Platform source: \\S*/lib/hmi/javafx-graphics-");
        }
    }

    private record Run(int exit, String output, String classes) {
    }

    private Run launch(MosquittoBroker broker, String... extra) throws Exception {
        Path log = dir.resolve("classes.log");
        Path out = dir.resolve("out.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m",
                "-Dprism.order=sw", "-Xlog:class+load=info:file=" + log,
                "-jar", JAR.toAbsolutePath().toString(), "demo", "--quiet", "--parts", "5", "--rate", "5",
                "--data-dir", dir.resolve("data").toString(), "--broker", "tcp://127.0.0.1:" + broker.port()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 180 s: " + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(log));
    }
}
