/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.testing.TestStations;
import io.linesight.station.timing.StageTimes;
import io.linesight.station.trigger.TimerTrigger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo station driven at about twice what it can inspect: it takes what it can decide in time and rejects the
 * rest with OVERLOAD at the trigger. The capacity is measured in the same run (at the first rate from 100/s up, doubling,
 * at which the station sheds parts: what admission lets through then is what the station gets through), and every
 * bound is a share of the deadline, not a time of this machine.
 */
class OverloadIT {
    @TempDir
    Path dir;

    /** One verdict as the results store keeps it. */
    record Row(String partId, String reason, String source, double latencyMs, boolean inspected) {
    }

    @Test
    void atTwiceItsCapacity_theStationShedsAtTheTrigger_andDecidesEveryPartItTakes_noneTimedOut() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml().replace("embeddedPort: 1883",
                "embeddedPort: 0"));
        long deadlineMs = loaded.config().deadlineMs();
        double capacity;
        long acquiredBefore;
        long acquiredAfter;
        long taken;
        long shedTotal;
        long shedLate;
        int parts;
        List<String> calibration = new ArrayList<>();
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            // a cold start is another matter (the first inference, JIT): warm up gently, then learn the costs at 20/s
            run(station, "cold-", 5, 10);
            run(station, "warm-", 20, 40);
            // the capacity: from a rate that overloads the station, what admission lets through is what it gets through
            for (double rate = 100; ; rate *= 2) {
                String prefix = "calibrate-" + Math.round(rate) + "-";
                long inspectedBefore = station.stats().snapshot().imaged();
                long shedBefore = station.shedParts();
                double seconds = run(station, prefix, rate, (int) Math.round(2 * rate));
                capacity = (station.stats().snapshot().imaged() - inspectedBefore) / seconds;
                calibration.add(prefix);
                if (station.shedParts() > shedBefore || rate >= 800) {
                    break;
                }
            }
            long notTakenBefore = station.shedParts() - station.shedAfterTrigger();
            acquiredBefore = acquired(station);
            parts = (int) Math.max(100, Math.round(2 * capacity * 3)); // about 3 s at twice the capacity
            run(station, "over-", 2 * capacity, parts);
            acquiredAfter = acquired(station);
            taken = parts - (station.shedParts() - station.shedAfterTrigger() - notTakenBefore);
            shedTotal = station.shedParts();
            shedLate = station.shedAfterTrigger();
            JsonNode status = statusCounting(station, shedTotal);
            assertThat(status.path("shedParts").asLong()).as("status.shedParts").isEqualTo(shedTotal);
            assertThat(status.path("shedAfterTrigger").asLong()).as("status.shedAfterTrigger").isEqualTo(shedLate);
        }
        List<Row> all = rows("%");
        assertThat(all).as("the station's counts: OVERLOADs at the trigger and after it")
                .filteredOn(r -> r.reason().equals("OVERLOAD")).hasSize((int) shedTotal)
                .filteredOn(r -> !r.source().equals("admission")).hasSize((int) shedLate);
        List<Row> over = rows("over-%");
        List<Row> overloaded = new ArrayList<>(over);
        for (String prefix : calibration) {
            overloaded.addAll(rows(prefix + "%"));
        }
        assertThat(capacity).as("parts inspected a second at the calibration's overload").isPositive();
        assertThat(over).as("every part got its verdict").hasSize(parts);

        assertThat(overloaded).as("no part the station took timed out or found a queue full")
                .noneMatch(r -> r.reason().equals("TIMEOUT") || r.reason().equals("QUEUE_FULL"));
        List<Row> shed = overloaded.stream().filter(r -> r.reason().equals("OVERLOAD")).toList();
        assertThat(over).as("twice the capacity is an overload: parts were shed")
                .anyMatch(r -> r.reason().equals("OVERLOAD"));
        assertThat(shed).as("every OVERLOAD well before half the deadline")
                .allMatch(r -> r.latencyMs() < deadlineMs / 2.0);
        assertThat(shed).as("almost every OVERLOAD at the trigger: the safety net behind it rarely fires")
                .filteredOn(r -> r.source().equals("admission")).hasSizeGreaterThanOrEqualTo((int) Math.ceil(0.95 * shed.size()));
        double[] latencies = shed.stream().mapToDouble(Row::latencyMs).sorted().toArray();
        System.out.printf(java.util.Locale.ROOT, "OverloadIT: capacity %.1f parts/s (at %s), then %d parts at %.1f/s: %d "
                + "inspected, %d OVERLOAD (%d after the trigger); OVERLOAD p95 %.2f ms, max %.2f ms, deadline %d ms%n",
                capacity, calibration.getLast(), parts, 2 * capacity, over.stream().filter(Row::inspected).count(),
                over.stream().filter(r -> r.reason().equals("OVERLOAD")).count(), shedLate,
                latencies[(int) (0.95 * (latencies.length - 1))], latencies[latencies.length - 1], deadlineMs);
        assertThat(latencies[(int) (0.95 * (latencies.length - 1))]).as("95 % of the OVERLOADs within a tenth of the deadline")
                .isLessThan(deadlineMs * 0.1);
        assertThat(overloaded).as("every part not shed was inspected (rules ran), whatever its verdict")
                .filteredOn(r -> !r.reason().equals("OVERLOAD")).allMatch(Row::inspected);
        assertThat(acquiredAfter - acquiredBefore).as("only parts taken at their trigger were imaged")
                .isLessThanOrEqualTo(taken);
    }

    /**
     * A burst at a cold start, before admission has learned what a part costs: it takes every part while the
     * acquisition queue has room, and a part that finds it full is shed like any other, {@code OVERLOAD} at once and
     * counted at the trigger, never a reason of its own the PLC and the bench would have to treat apart.
     */
    @Test
    void aBurstLargerThanTheAcquisitionQueue_isShedAsOverloadAtTheTrigger_andEveryPartTakenIsInspected() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("queueCapacity: 32", "queueCapacity: 2").replace("deadlineMs: 500", "deadlineMs: 20000")
                .replace("defectRate: \"0.15\"", "defectRate: \"0.15\"\n      readoutMs: \"150\"");
        LoadedStation loaded = TestStations.load(dir, yaml);
        int parts = 8;
        long shed;
        long shedAtTrigger;
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            for (int i = 0; i < parts; i++) {
                station.trigger("burst-" + i);
            }
            assertThat(station.awaitIdle(30_000)).as("every part decided").isTrue();
            shed = station.shedParts();
            shedAtTrigger = shed - station.shedAfterTrigger();
        }
        List<Row> rows = rows("burst-%");
        assertThat(rows).as("every part got its verdict").hasSize(parts);
        List<Row> overload = rows.stream().filter(r -> r.reason().equals("OVERLOAD")).toList();
        // one part being imaged and two waiting: at least five of the eight find the queue full
        assertThat(overload).as("parts that found the acquisition queue full").hasSizeGreaterThanOrEqualTo(parts - 3)
                .allMatch(r -> r.source().equals("admission"));
        assertThat(details("burst-%")).as("their reason says why").filteredOn(d -> d.contains("acquisition queue is full"))
                .hasSize(overload.size());
        assertThat(rows).as("no QUEUE_FULL").noneMatch(r -> r.reason().equals("QUEUE_FULL"));
        assertThat(shedAtTrigger).as("the station's count of parts not taken at their trigger").isEqualTo(overload.size());
        assertThat(rows).as("every part taken was inspected").filteredOn(r -> !r.reason().equals("OVERLOAD"))
                .allMatch(Row::inspected).hasSize(parts - overload.size());
    }

    private List<String> details(String like) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/results.db"));
             PreparedStatement q = c.prepareStatement("SELECT json_extract(reasons, '$[0].detail') FROM verdicts "
                     + "WHERE part_id LIKE ? ORDER BY seq")) {
            q.setString(1, like);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(String.valueOf(rs.getString(1)));
                }
            }
        }
        return out;
    }

    /** Triggers {@code parts} parts at {@code rateHz} and waits until each is decided; returns the trigger span in s. */
    private static double run(Station station, String prefix, double rateHz, int parts) throws InterruptedException {
        long start = System.nanoTime();
        try (TimerTrigger timer = new TimerTrigger(rateHz, parts, id -> station.trigger(prefix + id))) {
            timer.awaitDone();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(station.awaitIdle(station.config().deadlineMs() + 5_000)).as(prefix + " every part decided").isTrue();
        return seconds;
    }

    /** The station's retained status document once it counts {@code shed} parts (it is published every second). */
    private static JsonNode statusCounting(Station station, long shed) throws Exception {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        MqttClient client = new MqttClient(station.brokerUrl(), "overload-status-" + System.nanoTime(), new MemoryPersistence());
        try {
            client.connect();
            client.subscribe(new MqttSubscription[] {new MqttSubscription("linesight/demo/s1/status", 1)},
                    new IMqttMessageListener[] {(topic, m) -> last.set(new ObjectMapper().readTree(m.getPayload()))});
            for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; Thread.sleep(50)) {
                JsonNode n = last.get();
                if (n != null && n.path("shedParts").asLong() == shed) {
                    break;
                }
            }
            client.disconnect();
        } finally {
            client.close();
        }
        assertThat(last.get()).as("a status document").isNotNull();
        return last.get();
    }

    /** Parts whose every shot was taken, since start (the acquisition stage's count). */
    private static long acquired(Station station) {
        return station.stats().stages().snapshot().get(StageTimes.Stage.ACQUIRE).count();
    }

    private List<Row> rows(String like) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/results.db"));
             PreparedStatement q = c.prepareStatement("SELECT part_id, primary_reason, json_extract(reasons, '$[0].source'), "
                     + "latency_ms, measurements FROM verdicts WHERE part_id LIKE ? ORDER BY seq")) {
            q.setString(1, like);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                            !rs.getString(5).equals("[]")));
                }
            }
        }
        return out;
    }
}
