/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.plc.sim.PlcSimulator;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TcpFaultProxy;
import io.linesight.station.testing.TestPki;
import io.linesight.station.testing.TestStations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PLC contract against a real Mosquitto: commands and replies, outages, restarts, TLS, dead links. */
@DisplayName("the PLC link should")
class PlcLinkIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "linesight/demo/s1";

    @TempDir
    Path dir;

    record Received(String topic, JsonNode body, MqttProperties props) {
    }

    /** A PLC-side client that records everything on the station's topics and on its own reply topic. */
    static final class Plc implements AutoCloseable {
        final MqttClient client;
        final List<Received> received = new CopyOnWriteArrayList<>();

        Plc(String url) throws Exception {
            client = new MqttClient(url, "plc-" + System.nanoTime(), new MemoryPersistence());
            client.connect(new MqttConnectionOptions());
            IMqttMessageListener record = (t, m) -> received.add(new Received(t, JSON.readTree(m.getPayload()), m.getProperties()));
            client.subscribe(new MqttSubscription[] {new MqttSubscription(BASE + "/verdict", 1),
                new MqttSubscription(BASE + "/reply/#", 1), new MqttSubscription(BASE + "/plc/replies", 1)},
                    new IMqttMessageListener[] {record, record, record});
        }

        void send(String command, String payload) throws Exception {
            client.publish(BASE + "/cmd/" + command, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null));
        }

        void sendWithResponseTopic(String command, String payload, String correlation) throws Exception {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(BASE + "/plc/replies");
            p.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
            client.publish(BASE + "/cmd/" + command, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, p));
        }

        Received await(Predicate<Received> what) throws InterruptedException {
            // a changeover loads the recipe's model sessions: allow for a loaded machine
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                for (Received r : received) {
                    if (what.test(r)) {
                        return r;
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("not received within 30 s; got: " + received);
        }

        @Override
        public void close() throws org.eclipse.paho.mqttv5.common.MqttException {
            client.disconnect();
            client.close();
        }
    }

    LoadedStation station(String brokerBlock) throws Exception {
        String yaml = TestStations.demoStationYaml()
                .replace("  url: embedded\n  embeddedPort: 1883\n  payload: json\n", brokerBlock);
        return TestStations.load(dir.resolve("config"), yaml);
    }

    static Predicate<Received> verdictFor(String partId) {
        return r -> r.topic().endsWith("/verdict") && r.body().path("partId").asText().equals(partId);
    }

    @Nested
    @DisplayName("take commands")
    class Commands {
        @Test
        void triggerRecipeStopStart_workAndMistakesAreAnsweredWithTheirCorrelation() throws Exception {
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"));
                 Plc plc = new Plc(broker.url())) {
                LoadedStation loaded = station("  url: embedded\n  keepAliveS: 2\n");
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
                    plc.send("trigger", "P-1");
                    assertThat(plc.await(verdictFor("P-1")).body().path("result").asText()).isIn("PASS", "REJECT");

                    plc.sendWithResponseTopic("trigger", "{\"partId\": \"bad id!\"}", "c-17");
                    Received bad = plc.await(r -> r.topic().equals(BASE + "/plc/replies"));
                    assertThat(new String(bad.props().getCorrelationData(), StandardCharsets.UTF_8)).isEqualTo("c-17");
                    assertThat(bad.body().path("ok").asBoolean()).isFalse();
                    assertThat(bad.body().path("error").asText()).contains("partId").contains("bad id!");

                    plc.send("trigger", "{not json");
                    assertThat(plc.await(r -> r.topic().equals(BASE + "/reply/trigger")).body().path("error").asText())
                            .startsWith("payload is not valid JSON");

                    plc.send("frobnicate", "{\"correlationId\": 5}");
                    Received unknown = plc.await(r -> r.topic().equals(BASE + "/reply/frobnicate"));
                    assertThat(unknown.body().path("error").asText()).startsWith("unknown command 'frobnicate'");
                    assertThat(unknown.body().path("correlationId").asInt()).isEqualTo(5);

                    plc.send("recipe", "{\"recipe\": \"nope\"}");
                    assertThat(plc.await(r -> r.topic().equals(BASE + "/reply/recipe")).body().path("error").asText())
                            .contains("recipe 'nope' does not exist in the recipe store");
                    assertThat(s.recipe().label()).isEqualTo("bracket@1");

                    assertThat(s.awaitIdle(5000)).isTrue();
                    plc.send("recipe", "{\"productCode\": \"BRK-100\", \"correlationId\": \"co-1\"}");
                    Received changed = plc.await(r -> r.topic().equals(BASE + "/reply/recipe") && r.body().path("ok").asBoolean());
                    assertThat(changed.body().path("recipe").asText()).isEqualTo("bracket@1");
                    assertThat(changed.body().path("correlationId").asText()).isEqualTo("co-1");

                    plc.send("stop", "");
                    plc.await(r -> r.topic().equals(BASE + "/reply/stop"));
                    plc.send("trigger", "P-2");
                    Received stopped = plc.await(verdictFor("P-2"));
                    assertThat(stopped.body().path("reasons").get(0).asText()).isEqualTo("STATION_STOPPED");

                    plc.send("start", "");
                    plc.await(r -> r.topic().equals(BASE + "/reply/start"));
                    plc.send("trigger", "P-3");
                    assertThat(plc.await(verdictFor("P-3")).body().path("reasons").toString()).doesNotContain("STATION_STOPPED");

                    plc.send("trigger", "x".repeat(70_000));
                    assertThat(plc.await(r -> r.topic().equals(BASE + "/reply/trigger") && r.body().path("error").asText()
                            .contains("exceeds")).body().path("ok").asBoolean()).isFalse();
                }
            }
        }

        @Test
        void recipeChangeover_isRefusedWhileAPartIsInFlight_unlessForced() throws Exception {
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"));
                 Plc plc = new Plc(broker.url())) {
                // a slow camera keeps each part in flight for a while
                // a long deadline keeps the slow part in flight while the command arrives
                LoadedStation loaded = TestStations.load(dir.resolve("config"), TestStations.demoStationYaml()
                        .replace("deadlineMs: 500", "deadlineMs: 5000")
                        .replace("defectRate: \"0.15\"", "defectRate: \"0.15\"\n      readoutMs: \"300\""));
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
                    s.trigger("slow-1");
                    plc.send("recipe", "{\"recipe\": \"bracket\"}");
                    Received refused = plc.await(r -> r.topic().equals(BASE + "/reply/recipe"));
                    assertThat(refused.body().path("ok").asBoolean()).isFalse();
                    assertThat(refused.body().path("error").asText()).contains("in flight");
                    s.trigger("slow-2");
                    plc.send("recipe", "{\"recipe\": \"bracket\", \"force\": true}");
                    assertThat(plc.await(r -> r.topic().equals(BASE + "/reply/recipe") && r.body().path("ok").asBoolean())
                            .body().path("recipe").asText()).isEqualTo("bracket@1");
                    plc.await(verdictFor("slow-2"));
                }
            }
        }
    }

    static String logOf(MosquittoBroker broker) {
        try {
            return broker.log();
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Nested
    @DisplayName("lose nothing")
    class NothingLost {
        @Test
        void brokerOutage_verdictsAreKeptAndDeliveredAfterwards_withoutGaps() throws Exception {
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"),
                    "allow_anonymous true\npersistence true\npersistence_location " + dir.resolve("mq") + "/\n")) {
                LoadedStation loaded = station("  url: embedded\n  keepAliveS: 2\n");
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"));
                     PlcSimulator sim = new PlcSimulator(broker.url(), "demo", "s1", 0)) {
                    for (int i = 0; i < 10; i++) {
                        s.trigger("before-" + i);
                        Thread.sleep(50);
                    }
                    assertThat(s.awaitIdle(5000)).isTrue();
                    broker.stop();
                    for (int i = 0; i < 10; i++) {
                        s.trigger("during-" + i);
                        Thread.sleep(50);
                    }
                    assertThat(s.awaitIdle(5000)).isTrue();
                    assertThat(s.unackedVerdicts()).as("kept in the journal while the broker is away").isPositive();
                    assertThat(s.problems()).anyMatch(a -> a.startsWith("PLC link"));
                    broker.restart();
                    assertThat(sim.awaitParts(20, 30_000)).as(() -> sim.report().line() + "; station connected="
                            + s.brokerConnected() + " unacked=" + s.unackedVerdicts() + "; simulator connected="
                            + sim.connected() + "\nbroker log:\n" + logOf(broker)).isTrue();
                    PlcSimulator.Report r = sim.report();
                    assertThat(r.seqGaps()).isZero();
                    assertThat(r.outOfOrder()).isZero();
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (s.unackedVerdicts() > 0 && System.nanoTime() < until) {
                        Thread.sleep(20); // the last PUBACKs trail the subscriber's copies
                    }
                    assertThat(s.unackedVerdicts()).isZero();
                }
            }
        }

        @Test
        void stationRestart_resendsWhatTheBrokerNeverAcknowledged_flaggedAsResent_andSeqContinues() throws Exception {
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"))) {
                LoadedStation loaded = station("  url: embedded\n  keepAliveS: 2\n");
                broker.stop();
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
                    for (int i = 0; i < 5; i++) {
                        s.trigger("offline-" + i);
                    }
                    assertThat(s.awaitIdle(5000)).isTrue();
                    assertThat(s.unackedVerdicts()).isEqualTo(5);
                }
                broker.restart();
                try (PlcSimulator sim = new PlcSimulator(broker.url(), "demo", "s1", 0)) {
                    try (Station s = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
                        assertThat(sim.awaitParts(5, 15_000)).as(sim.report().line()).isTrue();
                        s.trigger("after-restart");
                        assertThat(sim.awaitParts(6, 10_000)).isTrue();
                    }
                    PlcSimulator.Report r = sim.report();
                    assertThat(r.resent()).as(r.line()).isEqualTo(5);
                    assertThat(r.seqGaps()).isZero();
                    // seq numbers follow the order verdicts are decided in, which two inspection workers may swap:
                    // the five offline parts hold 1..5 between them, and numbering goes on after the restart
                    assertThat(sim.firstSeqByPart()).containsEntry("after-restart", 6L);
                    assertThat(sim.firstSeqByPart().entrySet().stream().filter(e -> e.getKey().startsWith("offline-"))
                            .map(java.util.Map.Entry::getValue).sorted().toList()).containsExactly(1L, 2L, 3L, 4L, 5L);
                }
            }
        }
    }

    @Nested
    @DisplayName("notice a dead link")
    class DeadLink {
        @Test
        void stalledConnection_isDetectedByKeepAlive_andRecoveredAfterwards() throws Exception {
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"));
                 TcpFaultProxy proxy = new TcpFaultProxy(broker.port())) {
                LoadedStation loaded = station("  url: embedded\n  keepAliveS: 1\n");
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), proxy.url(), dir.resolve("data"))) {
                    assertThat(s.brokerConnected()).isTrue();
                    long t0 = System.nanoTime();
                    proxy.stall();
                    while (s.brokerConnected() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20)) {
                        Thread.sleep(20);
                    }
                    double detectedS = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("stalled link noticed after %.2f s (keep-alive 1 s)%n", detectedS);
                    assertThat(s.brokerConnected()).as("a silent link must be noticed by keep-alive, not TCP timeouts")
                            .isFalse();
                    proxy.drop();
                    proxy.heal();
                    long t1 = System.nanoTime();
                    while (!s.brokerConnected() && System.nanoTime() - t1 < TimeUnit.SECONDS.toNanos(20)) {
                        Thread.sleep(20);
                    }
                    assertThat(s.brokerConnected()).as("reconnects with backoff").isTrue();
                }
            }
        }
    }

    @Nested
    @DisplayName("be secure")
    class Security {
        TestPki pki;

        void makePki() throws Exception {
            pki = TestPki.create(dir.resolve("pki"));
        }

        String tlsListener() {
            return pki.mosquittoListener();
        }

        String brokerBlock(String passwordFile) {
            return pki.brokerBlock(passwordFile);
        }

        @Test
        void tlsWithPassword_connectsAndDeliversVerdicts() throws Exception {
            makePki();
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"), tlsListener())) {
                String url = "ssl://127.0.0.1:" + broker.port();
                LoadedStation loaded = station(brokerBlock("good-password"));
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), url, dir.resolve("data"))) {
                    assertThat(s.brokerConnected()).isTrue();
                    for (int i = 0; i < 5; i++) {
                        s.trigger("tls-" + i);
                    }
                    assertThat(s.awaitIdle(5000)).isTrue();
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (s.unackedVerdicts() > 0 && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                    assertThat(s.unackedVerdicts()).as("acknowledged by the TLS broker").isZero();
                }
            }
        }

        @Test
        void wrongPassword_isRefused_andVerdictsWaitInTheJournal() throws Exception {
            makePki();
            try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"), tlsListener())) {
                String url = "ssl://127.0.0.1:" + broker.port();
                LoadedStation loaded = station(brokerBlock("bad-password"));
                try (Station s = Station.start(loaded, TestStations.recipe(loaded), url, dir.resolve("data"))) {
                    assertThat(s.brokerConnected()).isFalse();
                    s.trigger("refused-1");
                    assertThat(s.awaitIdle(5000)).isTrue();
                    assertThat(s.unackedVerdicts()).isEqualTo(1);
                    assertThat(s.problems()).anyMatch(a -> a.contains("not connected"));
                }
                assertThat(broker.log()).containsAnyOf("not authorised", "bad user name or password", "Client");
            }
        }
    }
}
