/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.deb;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.installer.service.DatagramReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb (installer's -Ppackage profile runs this with failsafe): its contents and scripts through dpkg-deb,
 * then the program extracted into a temporary root and run from there: --version, check-recipe, a 50-part demo.
 */
class LinesightDebIT {
    private static final Path DEB = Path.of(System.getProperty("linesight.deb", "target/linesight_0.1.0_amd64.deb"));
    private static final String PACKAGE = System.getProperty("linesight.package", "linesight");
    private static final String VERSION = System.getProperty("linesight.version", "0.1.0");
    private static final long BUDGET_MB = Long.getLong("linesight.budget.mb", 120);
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    static Path work;
    static Path root;

    @BeforeAll
    static void extract() throws Exception {
        assertThat(DEB).as("the package built by -Ppackage").isRegularFile();
        root = Files.createDirectories(work.resolve("root"));
        assertThat(run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()), Map.of(), 120).code).isZero();
    }

    @Test
    void contents_followTheLayout() throws Exception {
        String listing = run(List.of("dpkg-deb", "-c", DEB.toString()), Map.of(), 60).out;
        assertThat(listing).contains(" ./opt/linesight/bin/linesight\n", " ./opt/linesight/lib/runtime/bin/java\n",
                " ./opt/linesight/lib/app/linesight-service.jar\n", " ./opt/linesight/lib/app/linesight.cfg\n",
                " ./usr/bin/linesight -> /opt/linesight/bin/linesight\n",
                " ./etc/linesight/station.yaml.example\n", " ./etc/linesight/linesight.env\n", " ./etc/linesight/recipes/bracket.yaml\n",
                " ./usr/share/linesight/broker/mosquitto.acl\n",
                " ./etc/linesight/recipes/models/bracket-defects.onnx\n",
                " ./etc/linesight/recipes/models/bracket-defects.onnx.eval.json\n",
                " ./etc/sysctl.d/60-linesight-gige.conf\n",
                " ./lib/systemd/system/linesight.service\n", " ./lib/systemd/system/linesight-kiosk.service\n",
                " ./usr/share/linesight/linesight-hmi.desktop\n", " ./usr/share/doc/" + PACKAGE + "/README.md\n");
        assertThat(listing).containsPattern("drwxr-x--- root/root +0 [-0-9: ]+ \\./etc/linesight/certs/\n");
        assertThat(listing).as("data is made by postinst, so that remove keeps it").doesNotContain(" ./var/");
        // exactly the flavour's ONNX Runtime: both would hold the same classes, and the first on the class path wins
        String ort = PACKAGE.endsWith("-cuda") ? "onnxruntime_gpu-" : "onnxruntime-";
        String other = PACKAGE.endsWith("-cuda") ? "onnxruntime-" : "onnxruntime_gpu-";
        assertThat(listing).containsPattern("\\./opt/linesight/lib/app/" + ort + "[0-9.]+\\.jar\n")
                .doesNotContainPattern("\\./opt/linesight/lib/app/" + other + "[0-9.]+\\.jar\n");
        assertThat(listing).as("the runtime is the trimmed one").doesNotContain("/lib/runtime/jmods/", "/lib/runtime/bin/javac\n");
        assertThat(listing).as("a fresh install must not find a station to start").doesNotContain(" ./etc/linesight/station.yaml\n");
        assertThat(listing).as("no embedded demo broker and its libraries")
                .doesNotContainPattern("/lib/app/(hivemq-|rocksdbjni-|eclipse-collections|bcprov-)");
    }

    @Test
    void size_isWithinItsBudget_andOnlyLinuxX64NativesAreShipped() throws Exception {
        long mb = (Files.size(DEB) + (1 << 20) - 1) >> 20;
        System.out.println("[LinesightDebIT] " + DEB.getFileName() + ": " + mb + " MB (budget " + BUDGET_MB + " MB)");
        assertThat(mb).as("package size in MB (package.budget.mb)").isLessThanOrEqualTo(BUDGET_MB);
        Path app = root.resolve("opt/linesight/lib/app");
        try (var jars = Files.list(app)) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().matches("(onnxruntime.*|sqlite-jdbc-.*)\\.jar")).toList()) {
                String entries = run(List.of("unzip", "-Z1", jar.toString()), Map.of(), 60).out;
                assertThat(entries).as(jar.getFileName().toString())
                        .doesNotContain("/osx-", "/win-", "linux-aarch64/", "/Windows/", "/Mac/", "/FreeBSD/", "Linux-Musl");
                assertThat(entries).as(jar.getFileName() + " still has its Linux x86-64 library")
                        .containsPattern("(linux-x64/libonnxruntime|Linux/x86_64/libsqlitejdbc)");
            }
        }
    }

    @Test
    void control_andMaintainerScripts() throws Exception {
        Path control = work.resolve("DEBIAN");
        assertThat(run(List.of("dpkg-deb", "-e", DEB.toString(), control.toString()), Map.of(), 60).code).isZero();
        String fields = Files.readString(control.resolve("control"));
        assertThat(fields).containsPattern("(?m)^Package: " + PACKAGE + "$").containsPattern("(?m)^Version: " + VERSION.replace(".", "\\.") + "$")
                .containsPattern("(?m)^Depends: .*libaravis-0\\.8-0").containsPattern("(?m)^Depends: .*adduser")
                .containsPattern("(?m)^Maintainer: .+").containsPattern("(?m)^Installed-Size: [0-9]+$");
        assertThat(Files.readAllLines(control.resolve("conffiles"))).doesNotContain("/etc/linesight/station.yaml");
        assertThat(Files.readAllLines(control.resolve("conffiles"))).contains("/etc/linesight/station.yaml.example",
                "/etc/linesight/recipes/bracket.yaml", "/etc/linesight/linesight.env", "/etc/sysctl.d/60-linesight-gige.conf");
        String postinst = Files.readString(control.resolve("postinst"));
        assertThat(postinst).contains("adduser --system", "[ -d /run/systemd/system ]", "systemctl enable linesight.service",
                "chmod 0750 \"$CONF/certs\"");
        assertThat(Files.readString(control.resolve("postrm"))).contains("purge)", "rm -rf /var/lib/linesight");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
            assertThat(run(List.of("sh", "-n", control.resolve(script).toString()), Map.of(), 30).code).as(script).isZero();
        }
    }

    @Test
    void launcher_printsTheVersion() throws Exception {
        Result r = linesight(List.of("--version"), 120);
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out.strip()).startsWith("linesight " + VERSION);
    }

    @Test
    void checkRecipe_acceptsTheShippedRecipe_andNamesTheFaultInABrokenOne() throws Exception {
        Path etc = root.resolve("etc/linesight");
        Result ok = linesight(List.of("check-recipe", "--config", etc.resolve("station.yaml.example").toString(),
                etc.resolve("recipes/bracket.yaml").toString()), 120);
        assertThat(ok.code).as(ok.out).isZero();
        assertThat(ok.out).contains("bracket.yaml: OK");

        Path broken = work.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(etc.resolve("recipes/bracket.yaml")).replace("minArea: 12", "minArea: -12"));
        Result bad = linesight(List.of("check-recipe", broken.toString()), 120);
        assertThat(bad.code).as(bad.out).isEqualTo(1);
        assertThat(bad.out).contains("broken.yaml").contains("minArea");
    }

    @Test
    void demoWithoutABroker_saysTheEmbeddedBrokerIsNotInThePackage() throws Exception {
        Result r = linesight(List.of("demo", "--headless", "--parts", "5", "--data-dir", work.resolve("no-broker").toString()),
                Map.of("LINESIGHT_CACHE_DIR", work.resolve("cache").toString()), 300);
        assertThat(r.code).as(r.out).isNotZero();
        assertThat(r.out).contains("the embedded demo broker (HiveMQ CE) is not part of this installation")
                .contains("--broker tcp://127.0.0.1:1883").doesNotContain("NoClassDefFoundError");
    }

    @Test
    void headlessDemo_inspectsFiftyParts_fromTheExtractedImage() throws Exception {
        Path data = work.resolve("demo-data");
        Path cache = work.resolve("cache");
        Result r;
        try (Mosquitto broker = Mosquitto.start(work.resolve("mq-demo"))) {
            r = linesight(List.of("demo", "--headless", "--parts", "50", "--data-dir", data.toString(), "--quiet",
                    "--broker", broker.url()), Map.of("LINESIGHT_CACHE_DIR", cache.toString()), 300);
        }
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).containsPattern("(?m)^parts=50 pass=[0-9]+ reject=[0-9]+ timeouts=[0-9]+ ");
        assertThat(r.out).as("the station's logging is packaged").doesNotContain("No SLF4J providers");
        assertThat(data.resolve("results.db")).isRegularFile();
        assertThat(cache.resolve("javacpp")).as("OpenCV's natives go to LINESIGHT_CACHE_DIR").isDirectory();
    }

    @Test
    void run_withTheShippedConfig_tellsSystemdItIsReady_andPingsTheWatchdog() throws Throwable {
        Path etc = Files.createDirectories(work.resolve("etc-run/recipes"));
        Path shipped = root.resolve("etc/linesight");
        // the shipped example as is, but its broker on a free port (tests may run beside a real one)
        Mosquitto broker = Mosquitto.start(work.resolve("mq-run"));
        Files.writeString(etc.resolveSibling("station.yaml"), Files.readString(shipped.resolve("station.yaml.example"))
                .replace("url: tcp://127.0.0.1:1883", "url: " + broker.url()));
        Files.copy(shipped.resolve("recipes/bracket.yaml"), etc.resolve("bracket.yaml"));
        Files.createDirectories(etc.resolve("models"));
        for (String f : List.of("bracket-defects.onnx", "bracket-defects.onnx.eval.json")) {
            Files.copy(shipped.resolve("recipes/models/" + f), etc.resolve("models/" + f));
        }
        Path socket = work.resolve("notify.sock");
        try (DatagramReceiver systemd = new DatagramReceiver(socket)) {
            // systemd reads its socket all the time; so does this thread
            List<String> told = Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        told.addAll(systemd.drain());
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable t) {
                    told.add("receive failed: " + t);
                }
            });
            Result r = linesight(List.of("run", "--headless", "--config", etc.resolveSibling("station.yaml").toString(),
                    "--parts", "60", "--rate", "10", "--data-dir", work.resolve("run-data").toString()),
                    Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "2000000",
                            "LINESIGHT_CACHE_DIR", work.resolve("cache").toString()), 300);
            assertThat(r.code).as(r.out).isZero();
            assertThat(r.out).containsPattern("(?m)^parts=60 pass=");
            reader.interrupt();
            reader.join();
            told.addAll(systemd.drain());
            assertThat(told).as("what systemd was told").isNotEmpty();
            assertThat(told.getFirst()).startsWith("READY=1\nSTATUS=station demo/s1 running recipe bracket");
            assertThat(told).anyMatch(m -> m.startsWith("WATCHDOG=1\nSTATUS=[progress] parts="));
            assertThat(told.getLast()).isEqualTo("STOPPING=1");
        } finally {
            broker.close();
        }
    }

    /** A real Mosquitto on a free loopback port, anonymous, for the station the package runs. */
    private record Mosquitto(Process process, int port) implements AutoCloseable {
        static Mosquitto start(Path dir) throws Exception {
            if (System.getenv("CI") == null) {
                org.assertj.core.api.Assumptions.assumeThat(Files.isExecutable(MOSQUITTO))
                        .as("mosquitto is not installed (the package's station needs a broker)").isTrue();
            }
            Files.createDirectories(dir);
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
            Files.writeString(dir.resolve("mosquitto.conf"), user + "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
            Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < until) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                    return new Mosquitto(p, port);
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IOException("mosquitto did not open port " + port + ": " + Files.readString(dir.resolve("mosquitto.log")));
        }

        String url() {
            return "tcp://127.0.0.1:" + port;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private Result linesight(List<String> args, long timeoutS) throws Exception {
        return linesight(args, Map.of(), timeoutS);
    }

    private Result linesight(List<String> args, Map<String, String> env, long timeoutS) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("opt/linesight/bin/linesight").toString());
        cmd.addAll(args);
        return run(cmd, env, timeoutS);
    }

    private record Result(int code, String out) {
    }

    private static Result run(List<String> cmd, Map<String, String> env, long timeoutS) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().putAll(env);
        Path log = Files.createTempFile(work, "out", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " still running after " + timeoutS + " s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
