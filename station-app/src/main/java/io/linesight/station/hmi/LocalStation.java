/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.secrets.Secrets;
import io.linesight.station.Station;
import io.linesight.station.plc.PlcCommands;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.ResultsStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The station in this process, as the HMI sees it: its read-only getters, and an {@link AlarmBook} kept in step
 * once a second on its own thread (database work never on the FX thread).
 */
public final class LocalStation implements StationView {
    private final Station station;
    private final AlarmWatch watch = new AlarmWatch();
    private final AlarmBook book;
    private volatile List<AlarmWatch.Condition> conditions = List.of();
    private final ScheduledExecutorService alarmThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hmi-alarms");
        t.setDaemon(true);
        return t;
    });

    public LocalStation(Station station) {
        this.station = station;
        this.book = new AlarmBook(station.store());
        alarmThread.scheduleWithFixedDelay(() -> book.sync(conditions, Instant.now()), 200, 1000, TimeUnit.MILLISECONDS);
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
        conditions = watch.conditions(station.brokerConnected(), station.devices().health(),
                station.stats().snapshot().timeouts(), nowNanos, AlarmWatch.StationSigns.of(station));
        return AlarmBook.lines(conditions, book.open());
    }

    @Override
    public void alarmsChanged() {
        alarmThread.execute(book::reload);
    }

    @Override
    public ResultsStore store() {
        return station.store();
    }

    @Override
    public Station local() {
        return station;
    }

    @Override
    public String changeRecipe(String name, boolean force) throws PlcCommands.CommandException {
        return station.changeRecipe(name, null, force);
    }

    @Override
    public void resetCounters() {
        station.reset();
    }

    @Override
    public void close() {
        alarmThread.shutdownNow();
    }
}
