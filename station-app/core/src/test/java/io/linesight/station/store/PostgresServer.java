/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.linesight.station.plc.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL (Debian {@code postgresql}, installed by .ci/install-deps.sh) in a temporary cluster on a free
 * loopback port, for one test class: {@code initdb} with a password for user {@code linesight}, {@code pg_ctl start},
 * and {@link #stop()}/{@link #start()} to take it away and bring it back. As root, the server runs as the
 * {@code postgres} user (PostgreSQL refuses to run as root). Outside CI, a machine without PostgreSQL skips the test
 * with the reason.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "linesight";
    static final String PASSWORD = "s3cret-for-tests";

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    static @Nullable Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
        }
    }

    /** Creates a cluster in a new temporary folder and starts it. */
    static PostgresServer start(String name) throws IOException, InterruptedException {
        Path bin = binaries();
        if (System.getenv("CI") == null) {
            assumeThat(bin).as("PostgreSQL is not installed (bash .ci/install-deps.sh installs it)").isNotNull();
        } else if (bin == null) {
            throw new IOException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin; run .ci/install-deps.sh");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        // Not under the JUnit @TempDir: the postgres user must be able to enter every parent folder.
        Path dir = Files.createTempDirectory("linesight-pg-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, PASSWORD + "\n");
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            Files.setOwner(pw, users.lookupPrincipalByName("postgres"));
        }
        PostgresServer s = new PostgresServer(bin, dir, EmbeddedBroker.freePort(), root);
        s.run(60, s.bin.resolve("initdb").toString(), "-D", s.data.toString(), "-U", USER, "--pwfile=" + pw,
                "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8");
        Files.writeString(s.data.resolve("postgresql.conf"), """
                listen_addresses = '127.0.0.1'
                port = %d
                unix_socket_directories = '%s'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                """.formatted(s.port, dir), java.nio.file.StandardOpenOption.APPEND);
        s.start();
        return s;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /**
     * The demo station writing its results to this server, loaded from {@code dir} (its station.yaml, recipe and the
     * database password file written there), with an embedded broker on a free port.
     */
    io.linesight.config.station.StationConfigLoader.LoadedStation demoStation(Path dir) throws Exception {
        Files.writeString(dir.resolve("db.password"), PASSWORD);
        String yaml = io.linesight.station.testing.TestStations.demoStationYaml()
                .replace("embeddedPort: 1883", "embeddedPort: 0") + """
                storage:
                  jdbcUrl: "%s"
                  username: %s
                  passwordFile: db.password
                """.formatted(jdbcUrl(), USER);
        return io.linesight.station.testing.TestStations.load(dir, yaml);
    }

    /** Starts (again) and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "50", "start");
    }

    /** Stops it at once (fast shutdown: clients are disconnected). */
    void stop() throws IOException, InterruptedException {
        run(60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    private void run(int timeoutS, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        Path out = Files.createTempFile("linesight-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in " + timeoutS + " s");
            }
            if (p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ": " + Files.readString(out) + log);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (IOException e) {
            // already stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
