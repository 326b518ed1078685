/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.SparkplugConfig;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import io.linesight.station.plc.StationState;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.TcpFaultProxy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sparkplug edge node against a real Mosquitto, read by a host application built on Tahu's decoder. */
class SparkplugNodeTest {
    private static final String GROUP = "plant1";

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private TahuHost host;

    @BeforeEach
    void startBroker() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        host = new TahuHost(broker.url(), GROUP);
    }

    @AfterEach
    void stopBroker() throws Exception {
        if (host != null) {
            host.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static SparkplugConfig config(String primaryHost, int queue) {
        return new SparkplugConfig(GROUP, "edge1", null, primaryHost, null, null, 2, queue, null, null, null, null, null);
    }

    private SparkplugNode start(String url) throws Exception {
        return SparkplugNode.start(config(null, 1000), "line1", "st1", url, dir.resolve("data"));
    }

    private static Inspection inspection(String partId, long seq, Verdict v) {
        return new Inspection(Part.triggeredNow(partId, 500), seq, "bracket@3", "", v, List.of(), List.of(), List.of(),
                Instant.now(), new Timings(0, 0, 0, 0, 12_345_000), null);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(until);
            Thread.sleep(10);
        }
    }

    @Test
    void connect_publishesNbirthWithBdSeqThenDbirthOfTheStationDevice() throws Exception {
        try (SparkplugNode node = start(broker.url())) {
            TahuHost.Received nbirth = host.next();
            TahuHost.Received dbirth = host.next();

            assertThat(nbirth.topic()).isEqualTo("spBv1.0/plant1/NBIRTH/edge1");
            assertThat(nbirth.seq()).isZero();
            assertThat(nbirth.value("bdSeq")).isEqualTo(BigInteger.ZERO);
            assertThat(nbirth.value("Node Control/Rebirth")).isEqualTo(false);
            assertThat(dbirth.topic()).as("device id defaults to the station id").isEqualTo("spBv1.0/plant1/DBIRTH/edge1/st1");
            assertThat(dbirth.seq()).isEqualTo(1);
            assertThat(dbirth.payload().getMetrics()).extracting(m -> m.getName()).contains(
                    "Verdict/Result", "Verdict/PartId", "Verdict/Seq", "Verdict/Reasons", "Verdict/LatencyMs",
                    "Counters/Total", "Counters/Pass", "Counters/Reject", "Counters/Timeouts", "State");
            assertThat(dbirth.value("State")).isEqualTo("ONLINE");
            assertThat(node.bdSeq()).isZero();
        }
    }

    @Test
    void verdicts_eachBecomeDdataWithTheVerdictAndCounters() throws Exception {
        try (SparkplugNode node = start(broker.url())) {
            host.next("DBIRTH");
            node.onVerdict(inspection("P-1", 41, new Verdict.Pass(Map.of())));
            node.onVerdict(inspection("P-2", 42, new Verdict.Reject(List.of(new Reason(ReasonCode.TIMEOUT, "watchdog", ""),
                    new Reason(ReasonCode.DEFECT_DETECTED, "yolo", "scratch")))));

            TahuHost.Received pass = host.next();
            TahuHost.Received reject = host.next();

            assertThat(pass.topic()).isEqualTo("spBv1.0/plant1/DDATA/edge1/st1");
            assertThat(pass.seq()).isEqualTo(2);
            assertThat(pass.value("Verdict/Result")).isEqualTo("PASS");
            assertThat(pass.value("Verdict/PartId")).isEqualTo("P-1");
            assertThat(pass.value("Verdict/Seq")).isEqualTo(41L);
            assertThat(pass.value("Verdict/LatencyMs")).isEqualTo(12.345);
            assertThat(reject.seq()).isEqualTo(3);
            assertThat(reject.value("Verdict/Result")).isEqualTo("REJECT");
            assertThat(reject.value("Verdict/Reasons")).isEqualTo("TIMEOUT,DEFECT_DETECTED");
            assertThat(reject.value("Counters/Total")).isEqualTo(2L);
            assertThat(reject.value("Counters/Pass")).isEqualTo(1L);
            assertThat(reject.value("Counters/Reject")).isEqualTo(1L);
            assertThat(reject.value("Counters/Timeouts")).isEqualTo(1L);

            node.onState(StationState.FAULT);
            TahuHost.Received state = host.next();
            assertThat(state.value("State")).isEqualTo("FAULT");
            assertThat(state.seq()).isEqualTo(4);
        }
    }

    @Test
    void seq_wrapsFrom255ToZeroAcrossAllNodeMessages() throws Exception {
        try (SparkplugNode node = start(broker.url())) {
            for (int k = 0; k < 300; k++) {
                node.onVerdict(inspection("P" + k, k, new Verdict.Pass(Map.of())));
            }
            long previous = host.next("NBIRTH").seq();
            int wraps = 0;
            for (int k = 0; k < 301; k++) { // DBIRTH and 300 DDATA
                long s = host.next().seq();
                assertThat(s).as("message %d", k).isEqualTo((previous + 1) % 256);
                wraps += s == 0 ? 1 : 0;
                previous = s;
            }
            assertThat(wraps).isEqualTo(1);
        }
    }

    @Test
    void abruptDisconnect_brokerSendsNdeathWithTheBirthsBdSeq_andTheNodeRebirthsWithTheNext() throws Exception {
        try (TcpFaultProxy proxy = new TcpFaultProxy(broker.port()); SparkplugNode node = start(proxy.url())) {
            long born = ((BigInteger) host.next("NBIRTH").value("bdSeq")).longValue();
            assertThat(node.bdSeq()).isEqualTo(born);
            host.next("DBIRTH");

            proxy.drop();

            TahuHost.Received death = host.next("NDEATH");
            assertThat(death.topic()).isEqualTo("spBv1.0/plant1/NDEATH/edge1");
            assertThat(death.value("bdSeq")).isEqualTo(BigInteger.valueOf(born));
            TahuHost.Received reborn = host.next("NBIRTH");
            assertThat(reborn.value("bdSeq")).isEqualTo(BigInteger.valueOf(born + 1));
            assertThat(reborn.seq()).isZero();
        }
    }

    @Test
    void bdSeq_continuesAfterARestart_andCleanCloseStillSendsNdeath() throws Exception {
        try (SparkplugNode node = start(broker.url())) {
            host.next("DBIRTH");
            assertThat(node.bdSeq()).isZero();
        }
        assertThat(host.next("NDEATH").value("bdSeq")).isEqualTo(BigInteger.ZERO);
        try (SparkplugNode node = start(broker.url())) {
            assertThat(host.next("NBIRTH").value("bdSeq")).isEqualTo(BigInteger.ONE);
            assertThat(node.bdSeq()).isEqualTo(1);
        }
    }

    @Test
    void ncmdRebirth_publishesBothBirthsAgainWithSeqFromZero() throws Exception {
        try (SparkplugNode node = start(broker.url())) {
            host.next("DBIRTH");
            node.onVerdict(inspection("P-1", 1, new Verdict.Pass(Map.of())));
            host.next("DDATA");

            host.rebirth(node.topics());

            assertThat(host.next().type()).as("the host hears its own command").isEqualTo("NCMD");
            TahuHost.Received nbirth = host.next();
            TahuHost.Received dbirth = host.next();
            assertThat(nbirth.type()).isEqualTo("NBIRTH");
            assertThat(nbirth.seq()).isZero();
            assertThat(nbirth.value("bdSeq")).as("same session, same bdSeq").isEqualTo(BigInteger.ZERO);
            assertThat(dbirth.type()).isEqualTo("DBIRTH");
            assertThat(dbirth.value("Counters/Total")).as("the birth carries the current counters").isEqualTo(1L);
        }
    }

    @Test
    void primaryHost_birthsWaitForItsStateOnline_andFollowItWhenItComesBack() throws Exception {
        try (SparkplugNode node = SparkplugNode.start(config("scada", 1000), "line1", "st1", broker.url(), dir.resolve("d"))) {
            await(() -> node.phase() == SparkplugNode.Phase.WAITING_FOR_HOST);
            assertThat(host.poll(300)).as("nothing before the primary host is online").isNull();

            host.state("scada", "{\"online\":true,\"timestamp\":" + System.currentTimeMillis() + "}");
            assertThat(host.next().type()).isEqualTo("NBIRTH");
            assertThat(host.next().type()).isEqualTo("DBIRTH");
            await(() -> node.phase() == SparkplugNode.Phase.ONLINE);

            host.state("scada", "{\"online\":false,\"timestamp\":" + System.currentTimeMillis() + "}");
            await(() -> node.phase() == SparkplugNode.Phase.WAITING_FOR_HOST);
            host.state("scada", "ONLINE"); // a Sparkplug 2.2 host
            assertThat(host.next().type()).isEqualTo("NBIRTH");
            assertThat(host.next().type()).isEqualTo("DBIRTH");
        }
    }

    @Test
    void onVerdict_neverBlocks_whenTheQueueIsFullItDropsAndCounts() throws Exception {
        // a port nobody listens on: the node keeps retrying and consumes nothing
        int closedPort = io.linesight.station.plc.EmbeddedBroker.freePort();
        try (SparkplugNode node = SparkplugNode.start(config(null, 4), "line1", "st1", "tcp://127.0.0.1:" + closedPort,
                dir.resolve("d"))) {
            for (int k = 0; k < 10; k++) {
                node.onVerdict(inspection("P" + k, k, new Verdict.Pass(Map.of())));
            }
            assertThat(node.dropped()).isEqualTo(6);
            assertThat(node.phase()).isEqualTo(SparkplugNode.Phase.CONNECTING);
        }
    }
}
