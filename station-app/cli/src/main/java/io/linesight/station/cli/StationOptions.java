/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code run} and {@code demo}. */
final class StationOptions {
    @Option(names = "--parts", paramLabel = "N", description = "stop after N parts and print a summary (0: run until stopped)")
    long parts;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "results database, image archive and journal")
    Path dataDir;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker URL instead of the configured one, e.g. tcp://127.0.0.1:1883")
    String broker;

    @Option(names = "--rate", paramLabel = "HZ", description = "timer trigger rate instead of the configured one")
    Double rate;

    @Option(names = "--trigger", paramLabel = "SOURCE",
            description = "timer (the station triggers itself at --rate) or mqtt (parts come from cmd/trigger)")
    io.linesight.config.station.TriggerConfig.Source trigger;

    @Option(names = "--headless", description = "no HMI, even when a display is available")
    boolean headless;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "with the HMI: after --parts N parts, write a PNG of the production screen to FILE and exit")
    Path screenshot;

    @Option(names = "--quiet", description = "no progress lines, only the summary")
    boolean quiet;

    @Option(names = "--kiosk", description = "HMI full screen and undecorated; leaving it needs an admin PIN")
    boolean kiosk;

    @Option(names = "--hmi-refresh", paramLabel = "HZ", defaultValue = "10",
            description = "HMI screen refreshes a second, 1..30 (default ${DEFAULT-VALUE})")
    int hmiRefreshHz = 10;

    @Option(names = "--min-pin-length", paramLabel = "DIGITS", defaultValue = "6",
            description = "shortest PIN an HMI user may be given, 4..12 (default ${DEFAULT-VALUE})")
    int minPinLength = 6;

    @Option(names = "--no-remote-hmi", description = "do not publish for remote HMIs (station hmi) on the broker")
    boolean noRemoteHmi;

    /** Print escapes/overkill against the camera's ground truth (synthetic camera, labelled replay). */
    boolean printTruth;
}
