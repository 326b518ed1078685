/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.secrets.Secrets;
import io.linesight.config.ConfigException;
import io.linesight.config.station.BrokerConfig;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.config.station.StorageConfig;
import io.linesight.station.OperatorHmi;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Path;
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

    @Option(names = "--broker", paramLabel = "URL", description = "the station's broker, e.g. tcp://host:1883 or "
            + "ssl://host:8883 (default with --config: the station file's broker)")
    @Nullable String broker;

    @Option(names = "--line", paramLabel = "LINE", description = "the station's line (default with --config: its line)")
    @Nullable String line;

    @Option(names = "--station", paramLabel = "STATION",
            description = "the station's name (default with --config: its name)")
    @Nullable String station;

    @Option(names = "--config", paramLabel = "FILE", description = "a station.yaml: line, station and the broker "
            + "section (URL, TLS files, user name, password file) from it; the options below override it")
    @Nullable Path config;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate(s) to trust for an ssl:// broker")
    @Nullable Path caFile;

    @Option(names = "--cert-file", paramLabel = "PEM", description = "client certificate, where the broker asks for one")
    @Nullable Path certFile;

    @Option(names = "--key-file", paramLabel = "PEM", description = "the client certificate's key (PKCS#8)")
    @Nullable Path keyFile;

    @Option(names = "--username", paramLabel = "USER", description = "broker user name; the password from "
            + "--password-file or LINESIGHT_MQTT_PASSWORD")
    @Nullable String username;

    @Option(names = "--password-file", paramLabel = "FILE", description = "file holding the broker password")
    @Nullable Path passwordFile;

    @Option(names = "--kiosk", description = "full screen, undecorated; leaving needs an admin PIN")
    boolean kiosk;

    @Option(names = "--min-pin-length", paramLabel = "DIGITS", defaultValue = "6",
            description = "shortest PIN an HMI user may be given, 4..12 (default ${DEFAULT-VALUE})")
    int minPinLength = 6;

    @Option(names = "--refresh", paramLabel = "HZ", defaultValue = "10",
            description = "screen refreshes a second, 1..30 (default ${DEFAULT-VALUE})")
    int refreshHz = 10;

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
        if (!HmiModule.displayAvailable()) {
            System.out.println("error: the HMI needs a display (DISPLAY or WAYLAND_DISPLAY)");
            return 2;
        }
        if (screenshot != null && parts <= 0) {
            System.out.println("error: --screenshot needs --parts N");
            return 2;
        }
        if (refreshHz < 1 || refreshHz > 30) {
            System.out.println("error: --refresh " + refreshHz + " must be 1..30");
            return 2;
        }
        if (minPinLength < 4 || minPinLength > 12) {
            System.out.println("error: --min-pin-length " + minPinLength + " must be 4..12");
            return 2;
        }
        Link link;
        try {
            link = link();
        } catch (IllegalArgumentException | ConfigException e) {
            System.out.println("error: " + e.getMessage());
            return 2;
        }
        String line = link.line();
        String station = link.station();
        String broker = link.url();
        OperatorHmi ui;
        try {
            ui = HmiModule.load();
            ui.startToolkit();
        } catch (IllegalStateException e) {
            System.out.println("error: " + e.getMessage());
            return 1;
        }
        @Nullable ResultsStore results = store == null ? null
                : ResultsStore.open(new StorageConfig(store, storeUser, null, 2048, 30), dataDir, line, station, null);
        CountDownLatch closed = new CountDownLatch(1);
        OperatorHmi.Screen hmi;
        try {
            hmi = ui.openRemote(broker, link.security(), line, station, results, dataDir, closed::countDown,
                    new OperatorHmi.Settings(kiosk, refreshHz, minPinLength));
        } catch (IOException e) {
            if (results != null) {
                results.close();
            }
            System.out.println("error: " + e.getMessage()); // refused credentials or TLS: said plainly, no stack trace
            return 1;
        }
        System.out.println("hmi attached to linesight/" + line + "/" + station + " through " + Secrets.redact(broker)
                + (results == null ? " (no results store: statistics and logins off)" : ", store " + results.description()));
        try {
            while (!closed.await(1, TimeUnit.SECONDS)) {
                Map<String, String> shown = hmi.shown();
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

    /** Where the station is and how to reach its broker. */
    private record Link(String url, String line, String station, BrokerSecurity security) {
    }

    /** The options, over the station file's broker section when {@code --config} is given. */
    private Link link() throws ConfigException {
        String url = broker;
        String l = line;
        String s = station;
        BrokerSecurity fromFile = BrokerSecurity.NONE;
        if (config != null) {
            LoadedStation loaded = StationConfigLoader.load(config);
            BrokerConfig b = loaded.config().broker();
            fromFile = BrokerSecurity.of(b, loaded.baseDir());
            if (url == null) {
                // an embedded broker listens on this machine's loopback
                url = b.embedded() ? "tcp://127.0.0.1:" + b.embeddedPort() : b.url();
            }
            l = l != null ? l : loaded.config().line();
            s = s != null ? s : loaded.config().station();
        }
        if (url == null || l == null || s == null) {
            throw new IllegalArgumentException("--broker, --line and --station are needed (or --config station.yaml)");
        }
        BrokerSecurity security = new BrokerSecurity(username != null ? username : fromFile.username(),
                passwordFile != null ? passwordFile : fromFile.passwordFile(),
                caFile != null ? caFile : fromFile.caFile(), certFile != null ? certFile : fromFile.certFile(),
                keyFile != null ? keyFile : fromFile.keyFile());
        if (security.hasTlsFiles() && !url.startsWith("ssl://") && !url.startsWith("wss://")) {
            throw new IllegalArgumentException("--ca-file, --cert-file and --key-file need an ssl:// broker URL, not "
                    + url);
        }
        if (security.passwordFile() != null && security.username() == null) {
            throw new IllegalArgumentException("--password-file needs --username");
        }
        return new Link(url, l, s, security);
    }

    private static long parse(@Nullable String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
