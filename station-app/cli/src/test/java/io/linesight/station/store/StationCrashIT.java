/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.VerdictSubscriber;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station as its own process (the real command line, {@code station demo --headless}) on a real Mosquitto, killed
 * with SIGKILL in the middle of a run and started again: every verdict the PLC (a real MQTT subscriber) received
 * before the kill must be in the results store after the restart, with the same part id.
 */
@DisplayName("a station killed with kill -9 should")
class StationCrashIT {

    @TempDir
    Path dir;

    @Test
    void loseNoVerdictThePlcReceived_afterRestart() throws Exception {
        Path data = dir.resolve("data");
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
             VerdictSubscriber plc = new VerdictSubscriber(broker.url(), "linesight/demo/s1")) {
            Process first = station(data, broker.url(), "first.log");
            List<JsonNode> before = plc.await(120, 60_000);
            assertThat(before).as("verdicts before the kill (see first.log)").hasSizeGreaterThanOrEqualTo(120);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(137);
            Thread.sleep(300); // anything already on the wire reaches the subscriber
            List<JsonNode> received = plc.verdicts();
            long onSpool;
            try (Spool spool = new Spool(data.resolve("spool"), Long.MAX_VALUE)) {
                onSpool = spool.pendingLines(); // what the killed writer had not committed: timing-dependent, reported only
            }
            System.out.println("crash test: " + received.size() + " verdicts received, " + onSpool
                    + " results on the spool not yet in the database at the kill");

            Process second = station(data, broker.url(), "second.log", "--parts", "10");
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("restarted station finishes 10 parts").isTrue();
            assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.log"))).isZero();

            Map<Long, String> stored = storedParts(data);
            Map<Long, String> missing = new HashMap<>();
            for (JsonNode v : received) {
                long seq = v.get("seq").asLong();
                if (!v.get("partId").asText().equals(stored.get(seq))) {
                    missing.put(seq, v.get("partId").asText());
                }
            }
            assertThat(missing).as("verdicts the PLC received that are not in the store").isEmpty();
            assertThat(stored.size()).as("the restarted run's 10 parts are stored too").isGreaterThanOrEqualTo(received.size() + 10);
        }
    }

    private Process station(Path data, String broker, String log, String... extra) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m",
                "-cp", cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                "io.linesight.station.cli.StationCli", "demo", "--headless", "--quiet", "--data-dir", data.toString(),
                "--broker", broker));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static Map<Long, String> storedParts(Path data) throws Exception {
        Map<Long, String> out = new HashMap<>();
        try (ResultsStore store = ResultsStore.openSqlite(data, "demo", "s1");
             Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, part_id FROM verdicts WHERE station = 's1'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
            c.commit();
        }
        return out;
    }
}
