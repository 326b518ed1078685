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
 * process for one test and killed after it. Outside CI, a machine without mosquitto skips the test with the reason.
 */
public final class MosquittoBroker implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private final Process process;
    private final int port;

    private MosquittoBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        if (System.getenv("CI") == null) {
            assumeThat(Files.isExecutable(BINARY)).as("mosquitto is not installed (bash .ci/install-deps.sh installs it)").isTrue();
        }
        int port = EmbeddedBroker.freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence false
                log_dest stderr
                """.formatted(port));
        Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new MosquittoBroker(p, port);
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("mosquitto did not open port " + port);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
