/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static io.linesight.station.store.Parts.entry;
import static io.linesight.station.store.Parts.pass;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station configured for a real PostgreSQL that is down when the station starts, with a large spool an earlier run
 * left behind: the station starts at once (the store is opened lazily and the spool replayed in the background),
 * inspects and gives the PLC its verdicts with seq continuing after the spool's, says the database is unavailable, and
 * once PostgreSQL is up writes the old spool and the new results, with the replay's progress visible on the way.
 */
@DisplayName("a station whose PostgreSQL is down when it starts should")
class PostgresDownAtStartIT {
    static final int LEFT_ON_SPOOL = 20_000;
    static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void startInspectAndSayItsDatabaseIsDown_thenCatchUpOnceItIsUp() throws Exception {
        try (PostgresServer pg = PostgresServer.start("down-at-start")) {
            pg.stop();
            Path data = dir.resolve("data");
            leaveSpool(data.resolve("spool"));
            LoadedStation loaded = pg.demoStation(dir);
            List<JsonNode> received;
            List<Long> replayProgress = new ArrayList<>();
            int triggered = 0;
            long startMs;
            try (Station station = startTimed(loaded, data);
                 VerdictSubscriber plc = new VerdictSubscriber(station.brokerUrl(), "linesight/demo/s1")) {
                startMs = lastStartMs;
                StoreWriter.Status s = station.storeStatus();
                assertThat(s.replayTotal()).isEqualTo(LEFT_ON_SPOOL);
                assertThat(s.replaying()).as("start did not wait for the spool").isTrue();
                for (int k = 0; k < 40; k++) {
                    station.trigger("DOWN-" + k);
                    triggered++;
                    Thread.sleep(40);
                }
                assertThat(station.awaitIdle(5_000)).isTrue();
                received = plc.await(triggered, 10_000);
                assertThat(received).hasSize(triggered);
                assertThat(received).allSatisfy(v -> assertThat(v.get("seq").asLong())
                        .as("seq continues after the spool's").isGreaterThan(LEFT_ON_SPOOL));
                long seen = System.nanoTime() + 10_000_000_000L;
                while (!station.storeStatus().failing() && System.nanoTime() < seen) {
                    Thread.sleep(50); // the writer's first try takes the pool's connection timeout
                }
                assertThat(station.storeStatus().failing()).isTrue();
                assertThat(station.keeping().get("results database")).startsWith("UNAVAILABLE");
                assertThat(station.problems()).anyMatch(a -> a.startsWith("results database unreachable"));

                pg.start();
                long until = System.nanoTime() + 180_000_000_000L;
                while ((station.storeStatus().replaying() || station.storePending() > 0) && System.nanoTime() < until) {
                    replayProgress.add(station.storeStatus().replayDone());
                    Thread.sleep(200);
                }
                assertThat(station.storeStatus().replaying()).as("replayed within 3 minutes").isFalse();
                assertThat(station.storePending()).isZero();
                assertThat(station.keeping().get("results database")).isEqualTo("ok");
            }
            assertThat(replayProgress).as("progress visible while replaying").isSortedAccordingTo(Long::compare);
            assertThat(replayProgress.stream().distinct().count()).as("more than one step of progress seen")
                    .isGreaterThan(1);
            Set<Long> stored = new HashSet<>();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT seq FROM verdicts WHERE station = 's1'")) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
            assertThat(stored).hasSize(LEFT_ON_SPOOL + triggered);
            for (JsonNode v : received) {
                assertThat(stored).contains(v.get("seq").asLong());
            }
            System.out.println("PostgreSQL down at start: station started in " + startMs + " ms with " + LEFT_ON_SPOOL
                    + " results on the spool; replay progress samples " + replayProgress.size());
        }
    }

    private long lastStartMs;

    private Station startTimed(LoadedStation loaded, Path data) throws Exception {
        long t = System.nanoTime();
        Station s = Station.start(loaded, TestStations.recipe(loaded), null, data);
        lastStartMs = (System.nanoTime() - t) / 1_000_000;
        return s;
    }

    /** What an earlier run of this station left: results seq 1..N the database never got. */
    private static void leaveSpool(Path spool) throws Exception {
        ObjectWriter json = new com.fasterxml.jackson.databind.ObjectMapper().writerFor(SpoolRecord.class);
        try (Spool s = new Spool(spool, 1L << 30)) {
            for (long seq = 1; seq <= LEFT_ON_SPOOL; seq++) {
                assertThat(s.append(json.writeValueAsBytes(VerdictRow.of(entry(pass("OLD-" + seq, seq,
                        T0.plusMillis(seq), 5, "bracket@1")), "demo", "s1")))).isTrue();
            }
        }
    }
}
