/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The operator HMI as the rest of the station sees it. The implementation (JavaFX) lives in its own module and is
 * found through {@link java.util.ServiceLoader} only when a screen is wanted, so a headless station runs without
 * JavaFX on its class path.
 *
 * <p>Called from the command line's main thread. {@link #startToolkit()} and the {@code open} methods block until the
 * toolkit runs or the window shows (bounded; they throw {@link IllegalStateException} when it cannot). The HMI never
 * owns the station: closing a {@link Screen} leaves the station running, and the station is closed by whoever opened
 * it, after the screen.
 */
public interface OperatorHmi {

    /**
     * Starts the toolkit, once per JVM. Must run before anything loads OpenCV (its native library links GTK 2, and
     * JavaFX's GTK 3 cannot start in a process that has GTK 2).
     *
     * @throws IllegalStateException when it cannot start here
     */
    void startToolkit();

    /** The HMI on a station running in this process. {@code onClosed} runs when the operator closes the window. */
    Screen open(Station station, Runnable onClosed, Settings settings);

    /**
     * The HMI attached to a station running elsewhere, through its broker.
     *
     * @param results the station's results database for statistics, audit and logins; null leaves those off
     * @param usersDir where this HMI's users file lives
     * @throws IOException when the broker refuses the connection (credentials, TLS) or cannot be reached
     */
    Screen openRemote(String brokerUrl, BrokerSecurity security, String line, String station,
                      @Nullable ResultsStore results, Path usersDir, Runnable onClosed, Settings settings)
            throws IOException;

    /** An open HMI window. */
    interface Screen extends AutoCloseable {

        /** What the production screen shows now (its counters by name, and {@code gallery}: reject cards shown). */
        Map<String, String> shown();

        /** Writes a PNG of one screen ({@code Production}, {@code Rejects}, …) as it is drawn now. */
        void screenshot(String screen, Path png) throws IOException;

        /** Closes the window; blocks until it is gone. The station keeps running. */
        @Override
        void close();
    }

    /**
     * How the HMI runs.
     *
     * @param kiosk full screen, undecorated; leaving needs an admin PIN
     * @param refreshHz screen refreshes a second, 1..30
     * @param minPinLength shortest PIN a user may be given, 4..12
     */
    record Settings(boolean kiosk, int refreshHz, int minPinLength) {
    }
}
