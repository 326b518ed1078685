/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import io.linesight.station.plc.MqttPlcLink;
import io.linesight.station.plc.StationState;
import io.linesight.station.plc.Topics;
import io.linesight.station.testing.MosquittoBroker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real PLC link and the Sparkplug node side by side on one Mosquitto, as the station wires them. */
class SparkplugTeeTest {
    @TempDir
    Path dir;

    @Test
    void verdict_goesToThePlcLinkFirst_andTheNodeSendsItWithThePlcSeq() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
            StationConfig config = StationConfigLoader.parse("""
                    line: l1
                    station: s1
                    cameras:
                      - {id: top, driver: synthetic, width: 640, height: 480}
                    broker: {url: %s, journalSync: false}
                    sparkplug: {groupId: plant1}
                    """.formatted(broker.url()), "station.yaml", dir).config();
            try (TahuHost host = new TahuHost(broker.url(), "plant1");
                 MqttPlcLink plc = MqttPlcLink.connect(broker.url(), config.broker(), new Topics("l1", "s1"), 99, dir,
                         dir.resolve("journal"));
                 SparkplugNode node = SparkplugNode.start(config.sparkplug(), "l1", "s1", broker.url(), dir.resolve("data"))) {
                SparkplugTee tee = new SparkplugTee(plc, node);
                assertThat(host.next("DBIRTH").topic()).isEqualTo("spBv1.0/plant1/DBIRTH/s1/s1");

                Inspection sent = tee.publish(new Inspection(Part.triggeredNow("P-7", 500), 0, "r@1", "",
                        Verdict.Reject.of(ReasonCode.CAMERA_FAULT, "top", "no frame"), List.of(), List.of(), List.of(),
                        Instant.now(), Timings.NONE, null));
                TahuHost.Received ddata = host.next("DDATA");
                tee.state(StationState.STOPPED);
                TahuHost.Received state = host.next("DDATA");

                assertThat(sent.seq()).isEqualTo(100);
                assertThat(ddata.value("Verdict/Seq")).isEqualTo(100L);
                assertThat(ddata.value("Verdict/Reasons")).isEqualTo("CAMERA_FAULT");
                assertThat(state.value("State")).isEqualTo("STOPPED");
            }
        }
    }
}
