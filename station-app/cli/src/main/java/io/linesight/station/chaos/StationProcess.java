/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The station under test as its own process (the same program and class path as this one), so that the chaos run can
 * kill it with SIGKILL, as a power cut or a crash would, and start it again on the same data.
 */
final class StationProcess implements AutoCloseable {
    private final Path config;
    private final Path log;
    private Process process;

    StationProcess(Path config, Path log) {
        this.config = config;
        this.log = log;
    }

    void start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseZGC",
                "-Xmx1g", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                "io.linesight.station.cli.StationCli", "run", "--config", config.toString(), "--headless",
                "--no-remote-hmi", "--quiet"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Waits until this process's station runs: the {@code n}-th "station running" line in the log (its state on MQTT can
     * still be the retained one of the process before, after a broker restart or a kill).
     */
    void awaitRunning(int n, long timeoutMs) throws IOException, InterruptedException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long running = java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log).stream()
                    .filter(l -> l.contains("Station - station running")).count() : 0;
            if (running >= n) {
                return;
            }
            if (!alive() || System.nanoTime() > until) {
                throw new IOException("station did not start (run " + n + ") within " + timeoutMs + " ms; see " + log);
            }
            Thread.sleep(50);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait for the station's orderly stop. */
    @Override
    public void close() {
        if (alive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
