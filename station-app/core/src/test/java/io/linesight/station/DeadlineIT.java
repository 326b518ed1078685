/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.testing.TestStations;
import io.linesight.station.testing.VerdictSubscriber;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A part that cannot be decided in time gets REJECT(TIMEOUT) from the watchdog, once, and nothing after it. */
class DeadlineIT {

    @TempDir
    Path dir;

    @Test
    void partSlowerThanItsDeadline_getsExactlyOneTimeoutReject() throws Exception {
        // The camera takes 400 ms to deliver each frame; the deadline is 150 ms.
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 150")
                .replace("defectRate: \"0.15\"", "defectRate: \"0.15\"\n      readoutMs: \"400\"");
        LoadedStation loaded = TestStations.load(dir, yaml);
        List<JsonNode> verdicts;
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"));
             VerdictSubscriber plc = new VerdictSubscriber(station.brokerUrl(), "linesight/demo/s1")) {
            for (int i = 0; i < 3; i++) {
                station.trigger("slow-" + i);
                Thread.sleep(1200);
            }
            assertThat(station.awaitIdle(5000)).isTrue();
            Thread.sleep(1500); // time for any (wrong) second message to arrive
            verdicts = plc.verdicts();
        }
        assertThat(verdicts).hasSize(3);
        assertThat(verdicts).extracting(v -> v.get("partId").asText()).containsExactly("slow-0", "slow-1", "slow-2");
        for (JsonNode v : verdicts) {
            assertThat(v.get("result").asText()).isEqualTo("REJECT");
            assertThat(v.get("reasons").get(0).asText()).isEqualTo("TIMEOUT");
            // sent the publish margin before the deadline (25 ms, four times that in the first 15 s after start, at most
            // half the deadline), so it is out before the gate must act
            assertThat(v.get("latencyMs").asDouble()).isGreaterThanOrEqualTo(74.0).isLessThan(150.0);
            assertThat(java.time.Instant.parse(v.get("decidedAt").asText()))
                    .isBefore(java.time.Instant.parse(v.get("deadlineAt").asText()));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/results.db"));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT COUNT(*), SUM(primary_reason = 'TIMEOUT') FROM verdicts")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getLong(2)).isEqualTo(3);
        }
    }

    @Test
    void cameraSlowerThanTheDeadline_givesTimeouts_notCameraFaults() throws Exception {
        // Frames come 400 ms after the trigger, parts every 300 ms, deadline 150 ms: the camera does deliver, so no
        // part may be blamed on a camera "not delivering frames" (a cold start looks like this for the first part of
        // a run). A part that comes while the camera still owes the previous part's frame is not triggered (its frame
        // would be taken for the owed one): OVERLOAD at acquisition; every other part times out.
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 150")
                .replace("defectRate: \"0.15\"", "defectRate: \"0.15\"\n      readoutMs: \"400\"");
        LoadedStation loaded = TestStations.load(dir, yaml);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            for (int i = 0; i < 6; i++) {
                station.trigger("late-" + i);
                Thread.sleep(300);
            }
            assertThat(station.awaitIdle(5000)).isTrue();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/results.db"));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT COUNT(*), SUM(primary_reason = 'TIMEOUT'), SUM(primary_reason = 'CAMERA_FAULT'),"
                             + " SUM(primary_reason = 'OVERLOAD') FROM verdicts")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(6);
            assertThat(rs.getLong(2)).as("timed out").isPositive();
            assertThat(rs.getLong(2) + rs.getLong(4)).as("timed out, or not triggered while a frame was owed").isEqualTo(6);
            assertThat(rs.getLong(3)).isZero();
        }
    }
}
