/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.control.CommandException;
import io.linesight.station.auth.Role;
import io.linesight.station.auth.StationCredentials;
import io.linesight.station.auth.UserStore;
import io.linesight.station.hmi.remote.RemoteStation;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TestStations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Mosquitto ACL (installer/…/broker/mosquitto.acl) and a password file on a real Mosquitto, with a demo
 * station logged in as {@code station}: the broker keeps each identity to its topics, and the station audits every
 * command and wants an engineer's login token from a remote HMI. One broker and station for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("a station behind the shipped broker ACL should")
class BrokerAclIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SHIPPED_ACL = Path.of("..", "..", "installer", "src", "deb", "root", "usr", "share", "linesight", "broker",
            "mosquitto.acl");
    static final String BASE = "linesight/demo/s1";
    static final int NOT_AUTHORIZED = 0x87;

    @TempDir
    static Path dir;
    MosquittoBroker broker;
    Station station;
    Client plc;
    Client hmi;

    @BeforeAll
    void start() throws Exception {
        Path mq = dir.resolve("mq");
        Files.createDirectories(mq);
        Path passwd = mq.resolve("passwd");
        for (String user : List.of("station", "plc", "hmi-panel1", "intruder")) {
            List<String> cmd = Files.exists(passwd)
                    ? List.of("mosquitto_passwd", "-b", passwd.toString(), user, user + "-secret")
                    : List.of("mosquitto_passwd", "-b", "-c", passwd.toString(), user, user + "-secret");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
                    .as("mosquitto_passwd: %s", new String(p.getInputStream().readAllBytes())).isTrue();
        }
        Path acl = mq.resolve("acl");
        Files.writeString(acl, Files.readString(SHIPPED_ACL).replace("LINE", "demo").replace("STATION", "s1"));
        broker = MosquittoBroker.start(mq, "allow_anonymous false\npassword_file " + passwd + "\nacl_file " + acl + "\n");

        Path data = dir.resolve("data");
        UserStore users = UserStore.open(data, "975310");
        users.put("eng", Role.ENGINEER, "246802");
        users.put("op", Role.OPERATOR, "135791");
        Path pw = dir.resolve("station.pw");
        Files.writeString(pw, "station-secret\n");
        String yaml = TestStations.demoStationYaml().replace("  url: embedded\n  embeddedPort: 1883\n",
                "  url: embedded\n  username: station\n  passwordFile: " + pw + "\n");
        LoadedStation loaded = TestStations.load(dir.resolve("config"), yaml);
        station = Station.start(loaded, TestStations.recipe(loaded), broker.url(), data, new StationCredentials(data));
        plc = new Client(broker.url(), "plc");
        plc.subscribe(BASE + "/verdict", BASE + "/reply/#");
        hmi = new Client(broker.url(), "hmi-panel1");
        hmi.subscribe(BASE + "/hmi/reply/hmi-panel1/#", BASE + "/verdict", BASE + "/cmd/#");
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {hmi, plc, station, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void plcTriggers_andGetsItsVerdict() throws Exception {
        assertThat(plc.publish(BASE + "/cmd/trigger", "{\"partId\":\"ACL-1\"}", null)).isLessThan(0x80);
        JsonNode v = plc.await(r -> r.topic().endsWith("/verdict") && r.body().path("partId").asText().equals("ACL-1"));
        assertThat(v.path("result").asText()).isIn("PASS", "REJECT");
    }

    @Test
    void hmiIdentity_cannotPublishAVerdictOrATrigger() throws Exception {
        assertThat(hmi.publish(BASE + "/verdict", "{\"partId\":\"FORGED-1\",\"result\":\"PASS\",\"seq\":1}", null))
                .as("PUBACK reason of a forged verdict").isEqualTo(NOT_AUTHORIZED);
        assertThat(hmi.publish(BASE + "/cmd/trigger", "{\"partId\":\"FORGED-2\"}", null))
                .as("PUBACK reason of a trigger from an HMI").isEqualTo(NOT_AUTHORIZED);
        // and through its own command folder the station refuses a trigger itself
        hmi.publish(BASE + "/hmi/cmd/hmi-panel1/trigger", "{\"partId\":\"FORGED-3\"}", BASE + "/hmi/reply/hmi-panel1/t");
        JsonNode r = hmi.await(m -> m.topic().equals(BASE + "/hmi/reply/hmi-panel1/t"));
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.path("error").asText()).contains("only the PLC triggers parts");

        plc.publish(BASE + "/cmd/trigger", "{\"partId\":\"ACL-2\"}", null);
        plc.await(m -> m.topic().endsWith("/verdict") && m.body().path("partId").asText().equals("ACL-2"));
        assertThat(plc.received).as("what the PLC received").noneMatch(m -> m.body().path("partId").asText().startsWith("FORGED"));
        assertThat(hmi.received).as("an HMI reads no verdicts and no commands")
                .noneMatch(m -> m.topic().endsWith("/verdict") || m.topic().contains("/cmd/"));
    }

    @Test
    void unknownClient_cmdRecipe_isRefusedByTheBroker() throws Exception {
        try (Client intruder = new Client(broker.url(), "intruder")) {
            assertThat(intruder.publish(BASE + "/cmd/recipe", "{\"recipe\":\"bracket\",\"force\":true}", null))
                    .isEqualTo(NOT_AUTHORIZED);
        }
        assertThatThrownBy(() -> new Client(broker.url(), "nobody").close()).as("a client without a password")
                .isInstanceOf(MqttException.class);
        Thread.sleep(300); // a command the broker had let through would be audited by now
        assertThat(trail()).noneMatch(a -> a.who().contains("intruder") || a.who().contains("nobody"));
    }

    @Test
    void remoteRecipeChange_withoutAValidToken_isRefusedWithAReason_andEveryAttemptIsAudited() throws Exception {
        Instant from = Instant.now();
        JsonNode none = hmi.command("recipe", "{\"recipe\":\"bracket\",\"sender\":\"mallory\"}");
        assertThat(none.path("ok").asBoolean()).isFalse();
        assertThat(none.path("error").asText()).contains("needs an engineer or admin login").contains("no login token");

        JsonNode forged = hmi.command("recipe", "{\"recipe\":\"bracket\",\"token\":\"made-up\"}");
        assertThat(forged.path("error").asText()).contains("login token unknown or expired");

        JsonNode wrongPin = hmi.command("login", "{\"user\":\"eng\",\"pin\":\"000000\"}");
        assertThat(wrongPin.path("error").asText()).isEqualTo("wrong user or PIN");
        JsonNode unknownUser = hmi.command("login", "{\"user\":\"ghost\",\"pin\":\"000000\"}");
        assertThat(unknownUser.path("error").asText()).as("the same answer for a name that does not exist")
                .isEqualTo("wrong user or PIN");
        JsonNode operator = hmi.command("login", "{\"user\":\"op\",\"pin\":\"135791\"}");
        assertThat(operator.path("error").asText()).contains("need an engineer or admin");

        JsonNode login = hmi.command("login", "{\"user\":\"eng\",\"pin\":\"246802\"}");
        assertThat(login.path("ok").asBoolean()).as(login.toString()).isTrue();
        assertThat(login.path("role").asText()).isEqualTo("ENGINEER");
        String token = login.path("token").asText();
        JsonNode changed = hmi.command("recipe", "{\"recipe\":\"bracket\",\"force\":true,\"token\":\"" + token + "\"}");
        assertThat(changed.path("ok").asBoolean()).as(changed.toString()).isTrue();
        JsonNode reset = hmi.command("reset", "{\"token\":\"" + token + "\"}");
        assertThat(reset.path("ok").asBoolean()).as(reset.toString()).isTrue();

        List<AuditRecord> trail = trail().stream().filter(a -> !a.at().isBefore(from.minusSeconds(1))).toList();
        assertThat(trail).anySatisfy(a -> {
            assertThat(a.who()).isEqualTo("mallory via hmi/hmi-panel1");
            assertThat(a.action()).isEqualTo("cmd/recipe");
            assertThat(a.after()).startsWith("refused: recipe from a remote HMI needs an engineer or admin login");
        });
        assertThat(trail).anySatisfy(a -> {
            assertThat(a.who()).isEqualTo("eng via hmi/hmi-panel1");
            assertThat(a.action()).isEqualTo("remote-login");
        });
        assertThat(trail).filteredOn(a -> a.action().equals("remote-login") && a.after().startsWith("refused"))
                .hasSize(3);
        assertThat(trail).filteredOn(a -> a.who().equals("eng via hmi/hmi-panel1") && a.action().equals("cmd/recipe"))
                .extracting(AuditRecord::after).containsExactly("accepted", "done: recipe " + station.recipe().label()
                        + " (forced)");
        assertThat(trail).anySatisfy(a -> assertThat(a.action() + " " + a.after()).isEqualTo("cmd/reset done: counters reset"));
        assertThat(trail).as("no PIN in the trail").noneMatch(a -> String.valueOf(a.after()).contains("246802")
                || String.valueOf(a.before()).contains("246802"));
    }

    @Test
    void remoteHmiView_whoseCommandsTheBrokerRefuses_failsThemSayingSo_insteadOfWaitingForAReply() throws Exception {
        Path pw = dir.resolve("intruder.pw");
        Files.writeString(pw, "intruder-secret\n");
        try (RemoteStation view = RemoteStation.connect(broker.url(), new BrokerSecurity("intruder", pw, null, null, null),
                "demo", "s1", null)) {
            assertThatThrownBy(view::resetCounters).isInstanceOf(CommandException.class)
                    .hasMessageContaining("the broker refused the command reset (0x87 not authorized)");
        }
    }

    @Test
    void remoteHmiView_changesOverOnlyAfterTheStationAcceptedItsEngineerLogin() throws Exception {
        Path pw = dir.resolve("hmi.pw");
        Files.writeString(pw, "hmi-panel1-secret\n");
        try (RemoteStation view = RemoteStation.connect(broker.url(), new BrokerSecurity("hmi-panel1", pw, null, null, null),
                "demo", "s1", null)) {
            assertThatThrownBy(() -> view.changeRecipe("bracket", true)).isInstanceOf(CommandException.class)
                    .hasMessageContaining("needs an engineer or admin login");
            assertThatThrownBy(() -> view.logIn("eng", "999999".toCharArray())).hasMessage("wrong user or PIN");
            assertThat(view.logIn("eng", "246802".toCharArray())).isEqualTo("ENGINEER");
            assertThat(view.changeRecipe("bracket", true)).isEqualTo(station.recipe().label());
            view.logOut();
            assertThatThrownBy(view::resetCounters).hasMessageContaining("no login token");
        }
    }

    @Test
    void reply_toATopicOutsideTheStationsSubtree_isRefused_andAudited() throws Exception {
        Instant from = Instant.now();
        // the PLC may read its replies anywhere under the station; it asks for one outside
        plc.publish(BASE + "/cmd/stop", "{\"correlationId\":\"c-out\"}", "plant/elsewhere");
        JsonNode r = plc.await(m -> m.topic().equals(BASE + "/reply/stop") && m.body().path("correlationId").asText().equals("c-out"));
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.path("error").asText()).isEqualTo("response topic 'plant/elsewhere' is outside " + BASE + "/");
        assertThat(station.lineStopped()).as("the stop was not done").isFalse();
        // an HMI may not have replies sent into another folder of the station (the verdict topic, another HMI's)
        hmi.publish(BASE + "/hmi/cmd/hmi-panel1/login", "{\"user\":\"eng\",\"pin\":\"246802\"}",
                BASE + "/hmi/reply/hmi-panel2/x");
        JsonNode h = hmi.await(m -> m.topic().equals(BASE + "/hmi/reply/hmi-panel1") && !m.body().path("ok").asBoolean());
        assertThat(h.path("error").asText()).contains("is outside " + BASE + "/hmi/reply/hmi-panel1/");
        List<AuditRecord> trail = trail().stream().filter(a -> !a.at().isBefore(from.minusSeconds(1))).toList();
        assertThat(trail).anySatisfy(a -> {
            assertThat(a.who()).isEqualTo("plc");
            assertThat(a.action()).isEqualTo("cmd/stop");
            assertThat(a.after()).isEqualTo("refused: response topic 'plant/elsewhere' is outside " + BASE + "/");
        });
    }

    /** The station's audit trail, oldest first. */
    private List<AuditRecord> trail() throws Exception {
        return station.store().auditTrail(Instant.EPOCH, Instant.now().plusSeconds(5), 10_000).reversed();
    }

    record Received(String topic, JsonNode body) {
    }

    /** A client logged in as {@code user} (password {@code <user>-secret}), recording what it receives. */
    static final class Client implements AutoCloseable {
        final MqttAsyncClient client;
        final List<Received> received = new CopyOnWriteArrayList<>();

        Client(String url, String user) throws MqttException {
            client = new MqttAsyncClient(url, user + "-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setUserName(user);
            o.setPassword((user + "-secret").getBytes(StandardCharsets.UTF_8));
            try {
                client.connect(o).waitForCompletion(10_000);
            } catch (MqttException e) {
                client.close(true);
                throw e;
            }
        }

        void subscribe(String... topics) throws MqttException {
            org.eclipse.paho.mqttv5.common.MqttSubscription[] subs = java.util.Arrays.stream(topics)
                    .map(t -> new org.eclipse.paho.mqttv5.common.MqttSubscription(t, 1))
                    .toArray(org.eclipse.paho.mqttv5.common.MqttSubscription[]::new);
            org.eclipse.paho.mqttv5.client.IMqttMessageListener record =
                    (topic, m) -> received.add(new Received(topic, JSON.readTree(m.getPayload())));
            org.eclipse.paho.mqttv5.client.IMqttMessageListener[] listeners =
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[subs.length];
            java.util.Arrays.fill(listeners, record);
            client.subscribe(subs, null, null, listeners, new MqttProperties()).waitForCompletion(10_000);
        }

        /** Publishes at QoS 1 and returns the broker's PUBACK reason code. */
        int publish(String topic, String payload, String responseTopic) throws MqttException {
            MqttProperties p = new MqttProperties();
            if (responseTopic != null) {
                p.setResponseTopic(responseTopic);
                p.setCorrelationData(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            }
            IMqttToken t = client.publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, p));
            t.waitForCompletion(10_000);
            int[] codes = t.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        }

        /** Sends a remote HMI command with a reply topic of its own and returns the station's reply. */
        JsonNode command(String name, String json) throws Exception {
            String replyTo = BASE + "/hmi/reply/hmi-panel1/" + UUID.randomUUID();
            publish(BASE + "/hmi/cmd/hmi-panel1/" + name, json, replyTo);
            return await(m -> m.topic().equals(replyTo));
        }

        JsonNode await(Predicate<Received> what) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a login hashes a PIN; changeover loads a model
            while (System.nanoTime() < until) {
                for (Received r : received) {
                    if (what.test(r)) {
                        return r.body();
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("nothing matching arrived; received: " + received);
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        }
    }
}
