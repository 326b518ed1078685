/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.station.StationConfig;
import io.linesight.station.alarm.AlarmBook;
import io.linesight.station.control.CommandException;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.ResultsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the HMI's screens read from a station and the few things they ask of it: implemented by {@link LocalStation}
 * (the station in this process) and by {@link io.linesight.station.hmi.remote.RemoteStation} (a headless station
 * seen through the broker). Getters are called on the FX thread and must not block: a remote view answers from the
 * last status it received.
 */
public interface StationView extends AutoCloseable {
    String line();

    String station();

    StationStats.Snapshot stats();

    /** Whether the station's PLC link has its broker (remote: as the station last reported it). */
    boolean brokerConnected();

    /** The broker URL for display, credentials masked ({@link io.linesight.station.secrets.Secrets}). */
    String brokerUrl();

    /** Device name → "ok" or what is wrong. */
    Map<String, String> deviceHealth();

    long orphanFrames();

    String executionProvider();

    int inFlight();

    int storePending();

    /** What the station keeps and what it could not: results database, spool, images archived and not, by reason. */
    Map<String, String> keeping();

    long skippedByViewers();

    /** The running recipe's label, e.g. {@code bracket@3}. */
    String recipeLabel();

    /** Names of the recipes the station can change over to (its recipe store). */
    List<String> recipeNames();

    /** Starts feeding results into {@code feed} (latest wins, never on the inspection path). */
    void attach(HmiFeed feed);

    void detach(HmiFeed feed);

    /** The alarm banner's lines now. FX thread. */
    List<AlarmBook.BannerAlarm> alarms(long nowNanos);

    /** An acknowledgement was written: re-read the alarms when convenient. Any thread. */
    void alarmsChanged();

    /** The results store for statistics and the audit trail, or null when this view has none. */
    @Nullable ResultsStore store();

    /** The recipe files and archive of a station that runs in this process, else null (a remote view). */
    @Nullable Local local();

    /**
     * What the recipe screens need of a station in this process: its running recipe, its files and archive, and
     * the control port's change-over. The HMI never holds the station itself.
     */
    interface Local {
        /** The recipe running now. Any thread. */
        Recipe recipe();

        /** The station's configuration (its cameras, for ROI limits). */
        StationConfig config();

        /** Where the station keeps its data; the archive is {@code dataDir()/archive}. */
        Path dataDir();

        /** The recipe store folder. */
        Path recipeDir();

        /** Changes over between parts, as the PLC's and the command line's change-over does; returns the new label. */
        String changeRecipe(String name, boolean force) throws CommandException;
    }

    /**
     * Changes over between parts. May block (a remote view waits for the station's reply): not on the FX thread.
     *
     * @return the label now running
     * @throws CommandException refused, with the station's reason
     */
    String changeRecipe(String name, boolean force) throws CommandException;

    /** Zeroes the station's counters (shift reset). May block: not on the FX thread for a remote view. */
    void resetCounters() throws CommandException;

    /**
     * Proves an engineer or admin login to the station, for a view whose commands cross the broker: the station checks
     * the PIN against its own users and trusts this view's commands until the login expires. A view in the station's
     * own process needs none (the HMI's session is the proof) and returns the role unchecked. May block (a remote view
     * waits for the reply): not on the FX thread. Clears the PIN.
     *
     * @return the role the station granted, by name
     * @throws CommandException refused, with the station's reason
     */
    default String logIn(String user, char[] pin) throws CommandException {
        java.util.Arrays.fill(pin, '\0');
        return "local";
    }

    /** Ends the proof given by {@link #logIn}; commands need a new login. Any thread. */
    default void logOut() {
    }

    /** Stops what this view started (threads, connections); the station keeps running. */
    @Override
    void close();
}
