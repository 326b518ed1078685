/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sd_notify datagrams as systemd would receive them, on a real AF_UNIX datagram socket. */
class ServiceWatchdogTest {
    private static final String RUNNING = "station demo/s1 running recipe bracket v1, broker tcp://127.0.0.1:1883, data /x";
    private static final String PROGRESS = "[progress] parts=40 rate=20.0/s pass=34 reject=6 timeouts=0 p99_ms=12.00";

    @TempDir
    Path dir;

    @Test
    void notifier_deliversOneDatagramPerState() throws Throwable {
        Path socket = dir.resolve("notify");
        try (DatagramReceiver systemd = new DatagramReceiver(socket); SystemdNotifier n = SystemdNotifier.open(socket.toString())) {
            n.send("READY=1");
            n.send("STATUS=ok\nWATCHDOG=1");
            assertThat(systemd.drain()).containsExactly("READY=1", "STATUS=ok\nWATCHDOG=1");
        }
    }

    @Test
    void notifier_namesTheSocket_whenNobodyListens() throws IOException {
        Path missing = dir.resolve("nobody");
        try (SystemdNotifier n = SystemdNotifier.open(missing.toString())) {
            assertThatThrownBy(() -> n.send("READY=1")).isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
        }
    }

    @Test
    void watchdog_staysSilentUntilReady_thenPingsWithTheLatestProgress() throws Throwable {
        Path socket = dir.resolve("notify");
        AtomicLong now = new AtomicLong(0);
        try (DatagramReceiver systemd = new DatagramReceiver(socket); SystemdNotifier n = SystemdNotifier.open(socket.toString())) {
            ServiceWatchdog w = new ServiceWatchdog(n, TimeUnit.SECONDS.toNanos(20), now::get);
            w.tick();
            assertThat(systemd.drain()).as("no ping before the station runs").isEmpty();

            List<String> lines = new ArrayList<>();
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(new LineTap(console, line -> {
                lines.add(line);
                w.onLine(line);
            }), true, StandardCharsets.UTF_8);
            out.println(RUNNING);
            out.print("[progress] parts=40 rate=20.0/s ");
            out.println("pass=34 reject=6 timeouts=0 p99_ms=12.00");
            w.tick();

            assertThat(console.toString(StandardCharsets.UTF_8)).as("stdout still reaches the journal")
                    .isEqualTo(RUNNING + System.lineSeparator() + PROGRESS + System.lineSeparator());
            assertThat(lines).containsExactly(RUNNING, PROGRESS);
            assertThat(systemd.drain()).containsExactly("READY=1\nSTATUS=" + RUNNING, "WATCHDOG=1\nSTATUS=" + PROGRESS);
        }
    }

    @Test
    void watchdog_withholdsThePing_whenTheRunLoopStopsReporting() throws Throwable {
        Path socket = dir.resolve("notify");
        AtomicLong now = new AtomicLong(0);
        try (DatagramReceiver systemd = new DatagramReceiver(socket); SystemdNotifier n = SystemdNotifier.open(socket.toString())) {
            ServiceWatchdog w = new ServiceWatchdog(n, TimeUnit.SECONDS.toNanos(20), now::get);
            w.onLine(RUNNING);
            w.onLine(PROGRESS);
            systemd.drain();

            now.set(TimeUnit.SECONDS.toNanos(21));
            w.tick();
            w.tick();
            List<String> got = systemd.drain();
            assertThat(got).hasSize(1).noneMatch(m -> m.contains("WATCHDOG=1"));
            assertThat(got.getFirst()).startsWith("STATUS=unhealthy: no progress line for 21 s");

            w.onLine(PROGRESS);
            w.tick();
            assertThat(systemd.drain()).containsExactly("WATCHDOG=1\nSTATUS=" + PROGRESS);
        }
    }

    @Test
    void watchdog_withholdsThePing_whenThePipelineStaysStalled_butNotForAShortRestart() throws Throwable {
        Path socket = dir.resolve("notify");
        AtomicLong now = new AtomicLong(0);
        String ok = PROGRESS + " pipeline=ok";
        String stalled = PROGRESS + " pipeline=stalled: inspect-1 stuck in one part for 12 s";
        try (DatagramReceiver systemd = new DatagramReceiver(socket); SystemdNotifier n = SystemdNotifier.open(socket.toString())) {
            ServiceWatchdog w = new ServiceWatchdog(n, TimeUnit.SECONDS.toNanos(20), now::get);
            w.onLine(RUNNING);
            w.onLine(ok);
            systemd.drain();

            // one stalled line (a PLC sender being restarted) and then fine again: pings go on
            now.set(TimeUnit.SECONDS.toNanos(2));
            w.onLine(stalled);
            w.tick();
            now.set(TimeUnit.SECONDS.toNanos(4));
            w.onLine(ok);
            w.tick();
            assertThat(systemd.drain()).allMatch(m -> m.startsWith("WATCHDOG=1")).hasSize(2);

            // the progress lines go on, but say stalled for longer than the grace: no ping, and why
            for (int t = 6; t <= 14; t += 2) {
                now.set(TimeUnit.SECONDS.toNanos(t));
                w.onLine(stalled);
            }
            w.tick();
            List<String> got = systemd.drain();
            assertThat(got).hasSize(1).noneMatch(m -> m.contains("WATCHDOG=1"));
            assertThat(got.getFirst()).isEqualTo("STATUS=unhealthy: pipeline stalled: inspect-1 stuck in one part for 12 s");
        }
    }

    @Test
    void pingInterval_isHalfTheWatchdogTimeout() {
        assertThat(ServiceMain.watchdogIntervalMs("30000000")).isEqualTo(15_000);
        assertThat(ServiceMain.watchdogIntervalMs(null)).isEqualTo(5000);
        assertThat(ServiceMain.watchdogIntervalMs("junk")).isEqualTo(5000);
    }
}
