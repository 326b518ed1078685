/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.station.StorageConfig;
import io.linesight.station.hmi.HmiApp;
import io.linesight.station.hmi.HmiOptions;
import io.linesight.station.hmi.remote.RemoteStation;
import io.linesight.station.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code station hmi}: the operator HMI as a process of its own, attached to a headless station through its MQTT
 * broker. Closing it, or it crashing, leaves the station running.
 */
@Command(name = "hmi", mixinStandardHelpOptions = true,
        description = "Open the operator HMI on a station running elsewhere, through its MQTT broker.")
final class HmiCommand implements Callable<Integer> {

    @Option(names = "--broker", required = true, paramLabel = "URL", description = "the station's broker, e.g. tcp://host:1883")
    String broker;

    @Option(names = "--line", required = true, paramLabel = "LINE", description = "the station's line")
    String line;

    @Option(names = "--station", required = true, paramLabel = "STATION", description = "the station's name")
    String station;

    @Option(names = "--kiosk", description = "full screen, undecorated; leaving needs an admin PIN")
    boolean kiosk;

    @Option(names = "--store", paramLabel = "JDBC_URL", description = "the station's results database (statistics, "
            + "audit trail, logins, alarm acknowledgement); password from LINESIGHT_DB_PASSWORD")
    String store;

    @Option(names = "--store-user", paramLabel = "USER", description = "user name for --store")
    String storeUser;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "hmi-data",
            description = "this HMI's users file (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--progress", description = "print the counters the HMI shows, once a second")
    boolean progress;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "with --parts N: write a PNG of the production "
            + "screen once it shows N parts, and exit")
    Path screenshot;

    @Option(names = "--parts", paramLabel = "N", description = "see --screenshot")
    long parts;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!HmiApp.displayAvailable()) {
            System.out.println("error: the HMI needs a display (DISPLAY or WAYLAND_DISPLAY)");
            return 2;
        }
        if (screenshot != null && parts <= 0) {
            System.out.println("error: --screenshot needs --parts N");
            return 2;
        }
        HmiApp.startToolkit();
        @Nullable ResultsStore results = store == null ? null
                : ResultsStore.open(new StorageConfig(store, storeUser, null, 2048, 30), dataDir, line, station, null);
        RemoteStation view;
        try {
            view = RemoteStation.connect(broker, line, station, results);
        } catch (IOException e) {
            if (results != null) {
                results.close();
            }
            throw e;
        }
        CountDownLatch closed = new CountDownLatch(1);
        HmiApp hmi = HmiApp.open(view, closed::countDown, HmiOptions.defaults().withKiosk(kiosk), dataDir);
        System.out.println("hmi attached to linesight/" + line + "/" + station + " through " + broker
                + (results == null ? " (no results store: statistics and logins off)" : ", store " + results.description()));
        try {
            while (!closed.await(1, TimeUnit.SECONDS)) {
                Map<String, String> shown = hmi.onFx(() -> {
                    Map<String, String> m = new HashMap<>();
                    hmi.production().counters().forEach((k, v) -> m.put(k, v.value()));
                    m.put("gallery", Integer.toString(hmi.rejects().cards()));
                    return m;
                });
                if (progress) {
                    System.out.println("[hmi] shown total=" + shown.get("total") + " pass=" + shown.get("pass")
                            + " reject=" + shown.get("reject") + " gallery=" + shown.get("gallery"));
                }
                if (screenshot != null && parse(shown.get("total")) >= parts) {
                    hmi.screenshot("Production", screenshot);
                    System.out.println("screenshot: " + screenshot.toAbsolutePath());
                    break;
                }
            }
        } finally {
            hmi.close();
        }
        return 0;
    }

    private static long parse(@Nullable String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
