/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.stats.StationStats;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TestStations;
import io.linesight.station.testing.VerdictSubscriber;
import io.linesight.station.trigger.TimerTrigger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One part's whole journey, many times over, on the embedded default and on a real Mosquitto: triggered, imaged by
 * the synthetic camera, checked by the demo recipe's rules, judged, told to the PLC (a real MQTT subscriber), stored
 * in SQLite.
 */
@DisplayName("a station should give every part exactly one verdict, stored and published")
class PartJourneyIT {

    @TempDir
    Path dir;

    @Test
    void embeddedBroker_everyPartOneVerdict_storedAndPublished_defectsRejectedCleanPartsPassed() throws Exception {
        // A generous deadline: this test is about what the recipe decides, not about speed on a loaded CI machine.
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 5000");
        LoadedStation loaded = TestStations.load(dir, yaml);
        int parts = 300;
        StationStats.Snapshot s;
        List<JsonNode> verdicts;
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"));
             VerdictSubscriber plc = new VerdictSubscriber(station.brokerUrl(), "linesight/demo/s1")) {
            runParts(station, parts, 20);
            verdicts = plc.await(parts, 30_000);
            s = station.stats().snapshot();
        }
        assertOneVerdictPerPart(verdicts, parts);
        assertThat(storedRows(dir.resolve("data"))).isEqualTo(parts);
        assertStoredDocumentsAreWhatThePlcGot(verdicts, dir.resolve("data"));
        // The synthetic camera's seed 7 injects defects in about 15 % of parts; the demo recipe must catch all of
        // them and reject nothing else.
        assertThat(s.imaged()).as("parts imaged and inspected (rejects by reason: %s)", s.rejectsByReason()).isEqualTo(parts);
        assertThat(s.truthDefective()).isBetween(20L, 80L);
        assertThat(s.escapes()).as("defective parts that passed").isZero();
        assertThat(s.overkill()).as("good parts that were rejected").isZero();
        assertThat(s.rejected()).isEqualTo(s.truthDefective());
    }

    @Test
    void realMosquitto_everyPartOneVerdict_andStateIsOnlineThenOffline() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml());
        int parts = 100;
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
             VerdictSubscriber plc = new VerdictSubscriber(broker.url(), "linesight/demo/s1")) {
            try (Station station = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
                assertThat(station.brokerUrl()).isEqualTo(broker.url());
                runParts(station, parts, 25);
                assertOneVerdictPerPart(plc.await(parts, 30_000), parts);
                Thread.sleep(200);
                assertThat(plc.state("linesight/demo/s1")).isEqualTo("ONLINE");
            }
            Thread.sleep(300);
            assertThat(plc.state("linesight/demo/s1")).isEqualTo("OFFLINE");
        }
        assertThat(storedRows(dir.resolve("data"))).isEqualTo(parts);
    }

    @Test
    void restartedStation_continuesSeqWhereItStopped() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0");
        LoadedStation loaded = TestStations.load(dir, yaml);
        for (int run = 0; run < 2; run++) {
            try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
                runParts(station, 10, 20);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/results.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM verdicts")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).containsExactly(20L, 1L, 20L, 20L);
        }
    }

    static void runParts(Station station, int parts, double rateHz) throws InterruptedException {
        try (TimerTrigger trigger = new TimerTrigger(rateHz, parts, station::trigger)) {
            trigger.awaitDone();
        }
        assertThat(station.awaitIdle(10_000)).as("all parts decided").isTrue();
    }

    static void assertOneVerdictPerPart(List<JsonNode> verdicts, int parts) {
        assertThat(verdicts).hasSize(parts);
        Set<String> ids = new HashSet<>();
        long expectedSeq = verdicts.getFirst().get("seq").asLong();
        for (JsonNode v : verdicts) {
            assertThat(ids.add(v.get("partId").asText())).as("duplicate verdict for " + v.get("partId")).isTrue();
            assertThat(v.get("seq").asLong()).as("seq without gaps, in order").isEqualTo(expectedSeq++);
            assertThat(v.get("result").asText()).isIn("PASS", "REJECT");
            if (v.get("result").asText().equals("REJECT")) {
                assertThat(v.get("reasons")).isNotEmpty();
            }
            assertThat(v.get("recipe").asText()).isEqualTo("bracket");
            assertThat(v.get("latencyMs").asDouble()).isPositive();
        }
    }

    /** The store keeps each part's result document; it says what the PLC was told, field by field. */
    static void assertStoredDocumentsAreWhatThePlcGot(List<JsonNode> verdicts, Path dataDir) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Map<String, JsonNode> stored = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("results.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT part_id, document FROM verdicts")) {
            while (rs.next()) {
                stored.put(rs.getString(1), json.readTree(rs.getString(2)));
            }
        }
        for (JsonNode v : verdicts) {
            JsonNode doc = stored.get(v.get("partId").asText());
            assertThat(doc).as("stored document of %s", v.get("partId")).isNotNull();
            java.util.Iterator<String> fields = doc.fieldNames();
            while (fields.hasNext()) {
                String f = fields.next();
                assertThat(v.get(f)).as("%s of %s: PLC vs store", f, v.get("partId")).isEqualTo(doc.get(f));
            }
        }
    }

    static long storedRows(Path dataDir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("results.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(DISTINCT part_id) FROM verdicts")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
