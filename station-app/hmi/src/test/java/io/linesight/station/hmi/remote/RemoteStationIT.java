/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.hmi.HmiFeed;
import io.linesight.station.part.Part;
import io.linesight.station.publish.HmiTopics;
import io.linesight.station.publish.PartJson;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.testing.MosquittoBroker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote view against a real Mosquitto, without a window: what it receives once {@code connect} returns. */
class RemoteStationIT {
    @TempDir
    Path dir;

    @Test
    void aPartPublishedTheMomentConnectReturns_reachesTheView() throws Exception {
        HmiTopics topics = new HmiTopics("demo", "s1");
        try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
            MqttAsyncClient station = new MqttAsyncClient(broker.url(), "station-side", new MemoryPersistence());
            station.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
            try {
                // twenty views connect one after another; each is sent a rejected part as soon as connect returns
                // (the broker delivers a message only to subscriptions it already holds)
                for (int n = 1; n <= 20; n++) {
                    String id = "p" + n;
                    try (RemoteStation view = RemoteStation.connect(broker.url(), "demo", "s1", null)) {
                        HmiFeed feed = new HmiFeed();
                        view.attach(feed);
                        station.publish(topics.part(), new MqttMessage(PartJson.encode(rejected(n)), 0, false, null))
                                .waitForCompletion(10_000);
                        for (int i = 0; i < 200 && feed.state().rejects().isEmpty(); i++) {
                            Thread.sleep(10);
                        }
                        assertThat(feed.state().rejects()).as("view %d: the part sent right after it connected", n)
                                .singleElement()
                                .satisfies(r -> assertThat(r.inspection().part().partId()).isEqualTo(id));
                    }
                }
            } finally {
                station.disconnect().waitForCompletion(5_000);
                station.close();
            }
        }
    }

    private static Inspection rejected(int n) {
        Verdict v = Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole-count", "found " + n);
        return new Inspection(new Part("p" + n, n, Instant.EPOCH, n + 1), n, "bracket@1", "", v, List.of(), List.of(),
                List.of(), Instant.EPOCH, Timings.NONE, null);
    }
}
