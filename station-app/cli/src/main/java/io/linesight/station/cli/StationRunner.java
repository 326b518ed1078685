/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.secrets.Secrets;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.config.station.TriggerConfig;
import io.linesight.station.OperatorHmi;
import io.linesight.station.Station;
import io.linesight.station.publish.HmiPublisher;
import io.linesight.station.stats.StationStats;
import io.linesight.station.trigger.TimerTrigger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** Runs a station from the command line: trigger source, progress lines, and the closing summary line. */
final class StationRunner {
    private final PrintStream out;

    StationRunner(PrintStream out) {
        this.out = out;
    }

    int run(LoadedStation loaded, StationOptions opts) throws IOException, InterruptedException {
        String recipeFile = loaded.config().recipe();
        if (recipeFile == null) {
            out.println("error: station.yaml names no recipe (key 'recipe')");
            return 2;
        }
        Recipe recipe;
        try {
            recipe = RecipeLoader.load(loaded.recipeDir().resolve(recipeFile), loaded.config().recipeDir() + "/" + recipeFile,
                    loaded.recipeDir(), loaded.config());
        } catch (ConfigException e) {
            e.errors().forEach(out::println);
            return 2;
        }
        TriggerConfig trigger = loaded.config().trigger();
        TriggerConfig.Source source = opts.trigger != null ? opts.trigger : trigger.source();
        if (source == TriggerConfig.Source.HARDWARE && trigger.source() != TriggerConfig.Source.HARDWARE) {
            out.println("error: --trigger hardware needs trigger.source: hardware in station.yaml (the cameras' line)");
            return 2;
        }
        Path dataDir = opts.dataDir != null ? opts.dataDir : loaded.dataDir();
        if (opts.hmiRefreshHz < 1 || opts.hmiRefreshHz > 30) {
            out.println("error: --hmi-refresh " + opts.hmiRefreshHz + " must be 1..30");
            return 2;
        }
        if (opts.minPinLength < 4 || opts.minPinLength > 12) {
            out.println("error: --min-pin-length " + opts.minPinLength + " must be 4..12");
            return 2;
        }
        if (opts.screenshot != null && (opts.headless || opts.parts <= 0 || !HmiModule.displayAvailable())) {
            out.println("error: --screenshot needs --parts N, no --headless, and a display (DISPLAY)");
            return 2;
        }
        // the HMI is loaded only for a screen: a headless station never loads JavaFX
        @Nullable OperatorHmi ui = opts.headless || !HmiModule.displayAvailable() ? null : startHmiToolkit();
        if (opts.screenshot != null && ui == null) {
            return 2;
        }
        Station started;
        try {
            // remote HMIs log in against this station's own HMI users
            started = Station.start(loaded, recipe, opts.broker, dataDir,
                    new io.linesight.station.auth.StationCredentials(dataDir));
        } catch (IOException e) {
            // a station that cannot start (no broker, devices missing) says why in one line; no stack trace
            out.println("error: " + Secrets.redact(String.valueOf(e.getMessage())));
            return 1;
        }
        try (Station station = started) {
            out.printf(Locale.ROOT, "station %s/%s running recipe %s, broker %s, data %s%n", loaded.config().line(),
                    loaded.config().station(), recipe.label(), Secrets.redact(station.brokerUrl()), dataDir.toAbsolutePath());
            double rate = opts.rate != null ? opts.rate : trigger.rateHz();
            CountDownLatch stop = new CountDownLatch(1);
            OperatorHmi.Screen hmi = ui != null ? openHmi(ui, station, stop, opts) : null;
            if (opts.screenshot != null && hmi == null) {
                return 2;
            }
            HmiPublisher remote = opts.noRemoteHmi ? null : startRemoteHmi(station);
            try {
                return runParts(loaded, opts, station, source, rate, stop, hmi);
            } finally {
                if (remote != null) {
                    remote.close();
                }
                if (hmi != null) {
                    hmi.close(); // before the station closes: the HMI reads its getters until then
                }
            }
        }
    }

    /**
     * Triggers parts (timer) or waits for the PLC's {@code cmd/trigger} (mqtt) until {@code --parts} parts have their
     * verdict or the process is told to stop.
     */
    private int runParts(LoadedStation loaded, StationOptions opts, Station station, TriggerConfig.Source source, double rate,
                         CountDownLatch stop, OperatorHmi.@Nullable Screen hmi) throws IOException, InterruptedException {
        Thread hook = new Thread(stop::countDown, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (source == TriggerConfig.Source.HARDWARE) {
            out.println("waiting for parts on the cameras' trigger line");
        } else if (source == TriggerConfig.Source.MQTT) {
            out.println("waiting for parts on linesight/" + loaded.config().line() + "/" + loaded.config().station()
                    + "/cmd/trigger");
        }
        try (TimerTrigger timer = source == TriggerConfig.Source.TIMER ? new TimerTrigger(rate, opts.parts, station::trigger) : null) {
            long lastPrint = System.nanoTime();
            while (true) {
                long done = timer != null ? timer.triggered() : station.stats().snapshot().parts();
                if (opts.parts > 0 && done >= opts.parts && station.inFlight() == 0) {
                    break;
                }
                if (stop.getCount() == 0) {
                    break;
                }
                Thread.sleep(50);
                if (!opts.quiet && System.nanoTime() - lastPrint > 2_000_000_000L) {
                    lastPrint = System.nanoTime();
                    out.println(progress(station.stats().snapshot(), station.stalled()));
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        station.awaitIdle(loaded.config().deadlineMs() + 1000L);
        StationStats.Snapshot s = station.stats().snapshot();
        if (opts.printTruth) {
            out.printf(Locale.ROOT, "truth: imaged=%d defective=%d escapes=%d good=%d overkill=%d%n", s.imaged(),
                    s.truthDefective(), s.escapes(), s.imaged() - s.truthDefective(), s.overkill());
        }
        out.println(s.summaryLine());
        if (hmi != null && opts.screenshot != null) {
            hmi.screenshot("Production", opts.screenshot);
            out.println("screenshot: " + opts.screenshot.toAbsolutePath());
        }
        return 0;
    }

    /** The HMI with its toolkit started, or null (headless); before the station loads OpenCV (see {@link OperatorHmi#startToolkit()}). */
    private @Nullable OperatorHmi startHmiToolkit() {
        try {
            OperatorHmi ui = HmiModule.load();
            ui.startToolkit();
            return ui;
        } catch (IllegalStateException e) {
            out.println("HMI not available, running headless: " + e.getMessage());
            return null;
        }
    }

    /** Publishes for {@code station hmi} processes; a station without it still runs (the message says why). */
    private @Nullable HmiPublisher startRemoteHmi(Station station) {
        try {
            return HmiPublisher.start(station);
        } catch (IOException e) {
            out.println("remote HMI not available: " + e.getMessage());
            return null;
        }
    }

    /** The HMI on its own FX thread, or null (headless) when JavaFX cannot start here; closing it stops the run. */
    private OperatorHmi.@Nullable Screen openHmi(OperatorHmi ui, Station station, CountDownLatch stop, StationOptions opts) {
        try {
            return ui.open(station, stop::countDown, new OperatorHmi.Settings(opts.kiosk, opts.hmiRefreshHz, opts.minPinLength));
        } catch (IllegalStateException e) {
            out.println("HMI not available, running headless: " + e.getMessage());
            return null;
        }
    }

    /** The progress line; its last field, {@code pipeline=ok} or {@code pipeline=stalled: why}, feeds the service watchdog. */
    static String progress(StationStats.Snapshot s, @Nullable String stalled) {
        return String.format(Locale.ROOT, "[progress] parts=%d rate=%.1f/s pass=%d reject=%d timeouts=%d p99_ms=%.2f %s",
                s.parts(), s.elapsedS() > 0 ? s.parts() / s.elapsedS() : 0, s.passed(), s.rejected(), s.timeouts(), s.p99Ms(),
                stalled == null ? "pipeline=ok" : "pipeline=stalled: " + stalled);
    }
}
