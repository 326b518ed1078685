/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.station.StationConfig;
import io.linesight.station.RecipeNames;
import io.linesight.station.alarm.AlarmBook;
import io.linesight.station.control.CommandException;
import io.linesight.station.secrets.Secrets;
import io.linesight.station.Station;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.ResultsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The station in this process, as the HMI sees it: its read-only getters, and an {@link AlarmBook} kept in step
 * once a second on its own thread (database work never on the FX thread).
 */
public final class LocalStation implements StationView {
    private final Station station;

    public LocalStation(Station station) {
        this.station = station;
    }

    @Override
    public String line() {
        return station.config().line();
    }

    @Override
    public String station() {
        return station.config().station();
    }

    @Override
    public StationStats.Snapshot stats() {
        return station.stats().snapshot();
    }

    @Override
    public boolean brokerConnected() {
        return station.brokerConnected();
    }

    @Override
    public String brokerUrl() {
        return Secrets.redact(station.brokerUrl()); // shown on screens
    }

    @Override
    public Map<String, String> deviceHealth() {
        return station.devices().health();
    }

    @Override
    public long orphanFrames() {
        return station.devices().orphanFrames();
    }

    @Override
    public String executionProvider() {
        return station.executionProvider();
    }

    @Override
    public int inFlight() {
        return station.inFlight();
    }

    @Override
    public int storePending() {
        return station.storePending();
    }

    @Override
    public Map<String, String> keeping() {
        return station.keeping();
    }

    @Override
    public long skippedByViewers() {
        return station.results().skippedByViewers();
    }

    @Override
    public String recipeLabel() {
        return station.recipe().label();
    }

    @Override
    public List<String> recipeNames() {
        return RecipeNames.in(station.recipeDir());
    }

    @Override
    public void attach(HmiFeed feed) {
        station.results().addListener(feed);
    }

    @Override
    public void detach(HmiFeed feed) {
        station.results().removeListener(feed);
    }

    @Override
    public List<AlarmBook.BannerAlarm> alarms(long nowNanos) {
        return station.alarms().banner();
    }

    @Override
    public void alarmsChanged() {
        station.alarms().reload();
    }

    @Override
    public ResultsStore store() {
        return station.store();
    }

    @Override
    public Local local() {
        return new Local() {
            @Override
            public Recipe recipe() {
                return station.recipe();
            }

            @Override
            public StationConfig config() {
                return station.config();
            }

            @Override
            public Path dataDir() {
                return station.dataDir();
            }

            @Override
            public Path recipeDir() {
                return station.recipeDir();
            }

            @Override
            public String changeRecipe(String name, boolean force) throws CommandException {
                return station.changeRecipe(name, null, force);
            }
        };
    }

    @Override
    public String changeRecipe(String name, boolean force) throws CommandException {
        return station.changeRecipe(name, null, force);
    }

    @Override
    public void resetCounters() {
        station.reset();
    }

    @Override
    public void close() {
        // nothing of its own: the alarms are the station's
    }
}
