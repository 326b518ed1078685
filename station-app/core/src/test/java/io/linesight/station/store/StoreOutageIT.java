/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.testing.TestStations;
import io.linesight.station.testing.VerdictSubscriber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station writing to a real PostgreSQL that is stopped for 30 s in the middle of a run: parts keep their verdicts,
 * results pile up on the spool, and once the database is back the spool drains and every verdict the PLC received is
 * stored.
 */
@DisplayName("a station whose PostgreSQL goes down should")
class StoreOutageIT {
    static final long OUTAGE_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void loseNoVerdict_andDrainTheSpoolWhenTheDatabaseIsBack() throws Exception {
        try (PostgresServer pg = PostgresServer.start("outage")) {
            LoadedStation loaded = pg.demoStation(dir);
            int triggered = 0;
            long maxPending = 0;
            List<JsonNode> received;
            try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"));
                 VerdictSubscriber plc = new VerdictSubscriber(station.brokerUrl(), "linesight/demo/s1")) {
                triggered += run(station, 2_000);
                pg.stop();
                long until = System.nanoTime() + OUTAGE_MS * 1_000_000L;
                while (System.nanoTime() < until) {
                    triggered += run(station, 500);
                    maxPending = Math.max(maxPending, station.storePending());
                }
                pg.start();
                triggered += run(station, 2_000);
                assertThat(station.awaitIdle(5_000)).isTrue();
                long drainBy = System.nanoTime() + 60_000_000_000L;
                while (station.storePending() > 0 && System.nanoTime() < drainBy) {
                    Thread.sleep(100);
                }
                assertThat(station.storePending()).as("spool drained after the database came back").isZero();
                received = plc.await(triggered, 10_000);
            }
            assertThat(received).hasSize(triggered);
            assertThat(maxPending).as("results waited on the spool during the outage")
                    .isGreaterThan(OUTAGE_MS / 1000 * 10);
            Map<Long, String> stored = new HashMap<>();
            long outageAlarms;
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT seq, part_id FROM verdicts")) {
                    while (rs.next()) {
                        stored.put(rs.getLong(1), rs.getString(2));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM alarms WHERE code = 'STORE_UNAVAILABLE'"
                        + " AND cleared_ms - raised_ms >= " + (OUTAGE_MS / 2))) {
                    rs.next();
                    outageAlarms = rs.getLong(1);
                }
            }
            for (JsonNode v : received) {
                assertThat(stored.get(v.get("seq").asLong())).as("stored part of seq " + v.get("seq"))
                        .isEqualTo(v.get("partId").asText());
            }
            assertThat(stored).hasSize(triggered);
            assertThat(outageAlarms).as("the outage is recorded as an alarm, for downtime reports").isEqualTo(1);
        }
    }

    /** Triggers parts at 25 Hz for {@code ms}; returns how many. */
    private static int run(Station station, long ms) throws InterruptedException {
        int n = 0;
        long until = System.nanoTime() + ms * 1_000_000L;
        while (System.nanoTime() < until) {
            station.trigger("OUT-" + System.nanoTime());
            n++;
            Thread.sleep(40);
        }
        return n;
    }
}
