/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.service;

import io.linesight.station.cli.StationCli;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Main class of the packaged {@code linesight} launcher: the station's command line, plus what the installed program
 * needs around it. {@code LINESIGHT_CACHE_DIR} moves the JavaCPP native cache (OpenCV) to a writable folder of the
 * service user; under systemd with {@code Type=notify} ({@code NOTIFY_SOCKET} set) a {@link ServiceWatchdog} reports
 * readiness and pings {@code WATCHDOG=1} every half {@code WatchdogSec} while the station is healthy.
 */
public final class ServiceMain {
    static final String JAVACPP_CACHE = "org.bytedeco.javacpp.cachedir";
    private static final long PROGRESS_STALL_S = 20;

    private ServiceMain() {
    }

    public static void main(String[] args) throws IOException {
        String cache = System.getenv("LINESIGHT_CACHE_DIR");
        if (cache != null && !cache.isBlank() && System.getProperty(JAVACPP_CACHE) == null) {
            System.setProperty(JAVACPP_CACHE, Path.of(cache, "javacpp").toString());
        }
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment();
        if (notifier != null) {
            watch(notifier);
        }
        StationCli.main(args);
    }

    private static void watch(SystemdNotifier notifier) {
        ServiceWatchdog watchdog = new ServiceWatchdog(notifier, TimeUnit.SECONDS.toNanos(PROGRESS_STALL_S), System::nanoTime);
        Charset charset = System.out.charset();
        System.setOut(new PrintStream(new LineTap(new FileOutputStream(FileDescriptor.out), watchdog::onLine), true, charset));
        long intervalMs = watchdogIntervalMs(System.getenv("WATCHDOG_USEC"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "systemd-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(watchdog::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(watchdog::stopping, "systemd-stopping"));
    }

    /** Half of systemd's WatchdogSec (as the sd_watchdog_enabled man page asks), 5 s when none is set. */
    static long watchdogIntervalMs(@Nullable String watchdogUsec) {
        if (watchdogUsec == null || watchdogUsec.isBlank()) {
            return 5000;
        }
        try {
            return Math.max(100, Long.parseLong(watchdogUsec.trim()) / 2000);
        } catch (NumberFormatException e) {
            return 5000;
        }
    }
}
