/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.store.ResultQueries.Alarm;
import io.linesight.station.store.OpenAlarm;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TestStations;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A headless station, no screen of any kind attached (no in-process HMI, no remote-HMI publisher): its alarm history
 * is still kept, so reports of a line run without screens show what went wrong and for how long.
 */
@DisplayName("a station without any HMI should")
class StationAlarmsIT {
    @TempDir
    Path dir;

    @Test
    void recordItsAlarms_raisedAndClearedInTheStore() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml());
        MosquittoBroker broker = MosquittoBroker.start(dir);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
            await(() -> open(station).isEmpty() && station.brokerConnected(), "a quiet start");
            broker.stop(); // the PLC link loses its broker
            await(() -> open(station).stream().anyMatch(a -> a.code().equals(AlarmWatch.BROKER_DOWN)),
                    "BROKER_DOWN recorded");
            // the banner line takes the stored alarm's id once the store has answered the insert
            await(() -> station.alarms().banner().stream().anyMatch(b -> b.text().contains("BROKER DOWN") && b.id() > 0),
                    "the banner line carries the stored alarm");

            broker.restart();
            await(() -> open(station).isEmpty(), "the alarm cleared once the broker is back");
            List<Alarm> history = station.store().queries().alarms(Instant.EPOCH, Instant.now().plusSeconds(1));
            assertThat(history).filteredOn(a -> a.code().equals(AlarmWatch.BROKER_DOWN)).singleElement()
                    .satisfies(a -> assertThat(a.clearedMs()).isNotNull());
            assertThat(station.alarms().banner()).isEmpty();
        } finally {
            broker.stop();
        }
    }

    private static List<OpenAlarm> open(Station station) {
        try {
            return station.store().openAlarms();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited 30 s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
