/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.linesight.station.plc.EmbeddedBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package, installed by .ci/install-deps.sh) on a free loopback port, started as a
 * process by the test and stopped after it; it can be stopped and started again on the same port (outage tests).
 * Outside CI a machine without mosquitto skips the test with the reason; in CI (CI set) a missing broker fails.
 */
public final class MosquittoBroker implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private final Path dir;
    private final int port;
    private final String extraConfig;
    private Process process;

    private MosquittoBroker(Path dir, int port, String extraConfig) {
        this.dir = dir;
        this.port = port;
        this.extraConfig = extraConfig;
    }

    public static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, "allow_anonymous true\n");
    }

    /** Starts with {@code listenerConfig} lines added after the listener (TLS, auth, persistence…). */
    public static MosquittoBroker start(Path dir, String listenerConfig) throws IOException, InterruptedException {
        if (System.getenv("CI") == null) {
            assumeThat(Files.isExecutable(BINARY)).as("mosquitto is not installed (bash .ci/install-deps.sh installs it)").isTrue();
        }
        Files.createDirectories(dir);
        MosquittoBroker b = new MosquittoBroker(dir, EmbeddedBroker.freePort(), listenerConfig);
        b.startProcess();
        return b;
    }

    private void startProcess() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto.conf");
        // As root, mosquitto would drop to user 'mosquitto', which cannot read files in a test's temp dir.
        String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(conf, user + "listener " + port + " 127.0.0.1\n" + extraConfig + "log_dest stderr\n");
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
                .start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("mosquitto did not open port " + port);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("mosquitto.log"));
    }

    /** Stops the broker (SIGTERM: with persistence on it saves sessions, like a broker restart in a plant). */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGHUP: Mosquitto reads its password and ACL files again (a plant changing permissions at run time). */
    public void reload() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port with the same configuration. */
    public void restart() throws IOException, InterruptedException {
        startProcess();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
