/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.BrokerConfig;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.VerdictSubscriber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery that knows, on a real Mosquitto: a broker that refuses verdicts (its ACL), a PLC that is not subscribed,
 * a sender thread that meets exceptions and errors.
 */
class PlcDeliveryIT {
    static final Topics TOPICS = new Topics("t", "s1");

    @TempDir
    Path dir;

    static String acl(boolean verdictsAllowed) {
        // lines before the first "user" line apply to anonymous clients: the PLC stand-in reads everything
        return "topic read linesight/#\n"
                + "user station\n"
                + "topic readwrite linesight/t/s1/state\n"
                + "topic readwrite linesight/t/s1/status\n"
                + "topic write linesight/t/s1/heartbeat\n"
                + "topic read linesight/t/s1/cmd/#\n"
                + (verdictsAllowed ? "topic write linesight/t/s1/verdict\n" : "");
    }

    BrokerConfig broker(String extra) throws Exception {
        return StationConfigLoader.parse("""
                line: t
                station: s1
                cameras: [{id: c, driver: synthetic}]
                broker: {url: "tcp://127.0.0.1:1", journalSync: false, %s}
                """.formatted(extra), "station.yaml", dir).config().broker();
    }

    static Inspection pass(String partId) {
        Part p = Part.triggeredNow(partId, 60_000);
        return new Inspection(p, 0, "r@1", "", new Verdict.Pass(Map.of()), List.of(), List.of(), List.of(), Instant.now(),
                new Timings(0, 0, 0, 0, 0), null);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void aBrokerThatRefusesVerdicts_keepsThem_faultsWithTheReasonCode_andDeliversThemOnceAllowed() throws Exception {
        Files.writeString(dir.resolve("acl"), acl(false));
        Files.writeString(dir.resolve("station-password"), "station-secret\n");
        Process pw = new ProcessBuilder("mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), "station",
                "station-secret").redirectErrorStream(true).start();
        assertThat(pw.waitFor()).isZero();
        try (MosquittoBroker mq = MosquittoBroker.start(dir.resolve("mq"), "allow_anonymous true\npassword_file "
                + dir.resolve("passwd") + "\nacl_file " + dir.resolve("acl") + "\n");
             VerdictSubscriber plc = new VerdictSubscriber(mq.url(), TOPICS.base());
             MqttPlcLink link = MqttPlcLink.connect(mq.url(), broker("username: station, passwordFile: station-password"),
                     TOPICS, 0, dir, dir.resolve("journal"))) {
            for (int i = 1; i <= 5; i++) {
                link.publish(pass("P" + i));
            }
            await(() -> link.health().refusing(), "the refusal is noticed");
            LinkHealth refused = link.health();
            assertThat(refused.lastRefusal()).isEqualTo("0x87 not authorized");
            assertThat(refused.faults()).anyMatch(f -> f.contains("broker refuses verdicts (0x87 not authorized)"));
            assertThat(refused.unacked()).as("nothing refused leaves the journal").isEqualTo(5);
            assertThat(plc.verdicts().size()).isZero();

            Files.writeString(dir.resolve("acl"), acl(true)); // the plant fixes its ACL
            mq.reload();
            await(() -> link.unacked() == 0, "every verdict acknowledged once allowed");
            await(() -> plc.partIds().size() == 5, "the PLC has every part");
            assertThat(plc.partIds()).containsExactlyInAnyOrder("P1", "P2", "P3", "P4", "P5");
            assertThat(link.health().refusing()).isFalse();
            assertThat(link.health().faults()).isEmpty();
            assertThat(link.refusedCount()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void withNobodySubscribed_theLinkSaysThePlcIsNotListening_untilItIs() throws Exception {
        try (MosquittoBroker mq = MosquittoBroker.start(dir.resolve("mq"));
             MqttPlcLink link = MqttPlcLink.connect(mq.url(), broker("keepAliveS: 5"), TOPICS, 0, dir, dir.resolve("journal"))) {
            link.publish(pass("P1"));
            await(() -> link.unacked() == 0, "acknowledged by the broker");
            assertThat(link.health().plcListening()).isFalse();
            assertThat(link.health().warnings()).contains("PLC not listening: the broker has no subscriber for verdicts");
            try (VerdictSubscriber plc = new VerdictSubscriber(mq.url(), TOPICS.base())) {
                link.publish(pass("P2"));
                await(() -> plc.verdicts().size() == 1, "the PLC got P2");
                await(() -> link.health().plcListening(), "listening again");
            }
        }
    }

    @Test
    void aClientThatStoppedReconnecting_isToldToReconnect_andWhatWaitedIsDelivered() throws Exception {
        try (MosquittoBroker mq = MosquittoBroker.start(dir.resolve("mq"));
             VerdictSubscriber plc = new VerdictSubscriber(mq.url(), TOPICS.base());
             MqttPlcLink link = MqttPlcLink.connect(mq.url(), broker("keepAliveS: 5"), TOPICS, 0, dir, dir.resolve("journal"))) {
            link.reconnectPatience(Duration.ofSeconds(2));
            link.publish(pass("P1"));
            await(() -> plc.partIds().contains("P1"), "P1 delivered while connected");
            // After a disconnect the client did not start itself, Paho never reconnects: the same dead end as a
            // reconnect cycle that ended when one of its attempts could not start.
            link.client().disconnect().waitForCompletion(5000);
            assertThat(link.connected()).isFalse();
            link.publish(pass("P2"));
            await(link::connected, "the link reconnected on its own");
            await(() -> plc.partIds().contains("P2"), "P2, decided while the link was down, reached the PLC");
            await(() -> link.unacked() == 0, "acknowledged");
            assertThat(link.watchdogReconnects()).isPositive();
        }
    }

    @Test
    void aSenderThatMeetsExceptionsAndErrors_goesOn_andReportsIt_andAStalledSenderIsAFault() throws Exception {
        try (MosquittoBroker mq = MosquittoBroker.start(dir.resolve("mq"));
             VerdictSubscriber plc = new VerdictSubscriber(mq.url(), TOPICS.base());
             MqttPlcLink link = MqttPlcLink.connect(mq.url(), broker("keepAliveS: 5"), TOPICS, 0, dir, dir.resolve("journal"))) {
            java.util.Set<Long> thrown = java.util.concurrent.ConcurrentHashMap.newKeySet();
            link.beforeSend = seq -> {
                if (seq == 2 && thrown.add(seq)) {
                    throw new IllegalStateException("a bug in a payload");
                }
                if (seq == 4 && thrown.add(seq)) {
                    throw new StackOverflowError("a deeper bug");
                }
            };
            for (int i = 1; i <= 5; i++) {
                link.publish(pass("P" + i));
            }
            await(() -> plc.partIds().size() == 5, "every verdict still arrives");
            LinkHealth h = link.health();
            assertThat(h.senderAlive()).isTrue();
            assertThat(h.senderError()).contains("StackOverflowError");
            assertThat(link.senderThread().isAlive()).isTrue();

            link.beforeSend = seq -> {
                try {
                    Thread.sleep(3_000); // a sender stuck on something
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            link.publish(pass("P6"));
            await(() -> !link.health().senderAlive(), "a stalled sender is seen");
            assertThat(link.health().faults()).anyMatch(f -> f.startsWith("PLC sender not running"));
            link.beforeSend = null;
            await(() -> link.health().senderAlive(), "alive again");
            await(() -> plc.partIds().contains("P6"), "P6 delivered");
        }
    }
}
