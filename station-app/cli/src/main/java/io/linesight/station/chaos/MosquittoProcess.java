/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for the chaos run, with the station's, the PLC's identities and an ACL, persistence (so a
 * restart keeps the PLC's session and its queued verdicts, as a plant broker would), stopped, restarted and told to
 * re-read its ACL (SIGHUP) while parts run.
 */
final class MosquittoProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    private final Path dir;
    private final int port;
    private final String stationUser;
    private final boolean realtime;
    private Process process;

    private MosquittoProcess(Path dir, int port, String stationUser, boolean realtime) {
        this.dir = dir;
        this.port = port;
        this.stationUser = stationUser;
        this.realtime = realtime;
    }

    /** Writes the configuration, the password file (station and plc) and the ACL, and starts the broker. */
    static MosquittoProcess start(Path dir, String topicBase, String stationPassword, String plcPassword, boolean realtime)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IOException(BINARY + " not found: the chaos run needs Mosquitto (Debian package mosquitto)");
        }
        Files.createDirectories(dir);
        MosquittoProcess m = new MosquittoProcess(dir, freePort(), "station", realtime);
        Path passwd = dir.resolve("passwd");
        Files.deleteIfExists(passwd);
        run("mosquitto_passwd", "-b", "-c", passwd.toString(), "station", stationPassword);
        run("mosquitto_passwd", "-b", passwd.toString(), "plc", plcPassword);
        m.writeAcl(topicBase, true);
        String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(dir.resolve("mosquitto.conf"), user + "listener " + m.port + " 127.0.0.1\n"
                + "allow_anonymous false\npassword_file " + passwd + "\nacl_file " + dir.resolve("acl") + "\n"
                + "persistence true\npersistence_location " + dir + "/\nautosave_interval 1\n"
                + "max_queued_messages 200000\nmax_inflight_messages 100\nset_tcp_nodelay true\nlog_dest stderr\n");
        m.startProcess();
        return m;
    }

    /** The ACL: the PLC may trigger and read everything; the station may publish verdicts only when allowed. */
    void writeAcl(String base, boolean stationMayPublishVerdicts) throws IOException {
        Files.writeString(dir.resolve("acl"), "user plc\ntopic read " + base + "/#\ntopic write " + base + "/cmd/#\n"
                + "user " + stationUser + "\ntopic read " + base + "/cmd/#\n"
                + "topic write " + base + "/state\ntopic write " + base + "/status\ntopic write " + base + "/heartbeat\n"
                + "topic write " + base + "/reply/#\ntopic readwrite " + base + "/hmi/#\n"
                // the probe topic follows the verdict topic, so the conductor can see when a reload took effect
                + (stationMayPublishVerdicts ? "topic write " + base + "/verdict\ntopic write " + base + "/acl-probe\n" : ""));
    }

    /** SIGHUP: the broker reads its ACL again. */
    void reload() throws IOException, InterruptedException {
        run("kill", "-HUP", Long.toString(process.pid()));
    }

    private void startProcess() throws IOException, InterruptedException {
        // the plant's broker runs on a machine of its own: here it must not starve with the station under a CPU spike
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString()));
        if (realtime) {
            cmd.addAll(0, List.of("chrt", "-f", "5"));
        }
        process = new ProcessBuilder(cmd)
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
        throw new IOException("mosquitto did not open port " + port);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** SIGTERM (it saves its sessions), then up again on the same port after {@code downMs}. */
    void restart(long downMs) throws IOException, InterruptedException {
        stop();
        Thread.sleep(downMs);
        startProcess();
    }

    private void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                stop();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
