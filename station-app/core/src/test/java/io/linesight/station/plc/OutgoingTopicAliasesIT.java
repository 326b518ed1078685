/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.station.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Mosquitto, which allows topic aliases (its CONNACK says so): a publish that Paho refuses because its in-flight
 * window is full must leave nothing behind, so that the next publish to the same topic reaches the subscriber and the
 * connection stays up. Without {@link OutgoingTopicAliases#off} Paho has already registered an alias for the topic,
 * sends the next publish as the bare alias, and the broker drops the connection.
 */
@DisplayName("a station's MQTT client should")
class OutgoingTopicAliasesIT {
    @TempDir
    Path dir;

    @Test
    void afterAPublishRefusedForItsInFlightWindow_stillPublishTheTopic_andKeepItsConnection() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient subscriber = new MqttClient(broker.url(), "alias-sub", new MemoryPersistence());
            subscriber.connect();
            // the array form: Paho 1.2.5's subscribe(topic, qos, listener) calls itself until the stack overflows
            subscriber.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                new org.eclipse.paho.mqttv5.common.MqttSubscription("alias/#", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, m) -> received.add(t)});

            MqttAsyncClient client = new MqttAsyncClient(broker.url(), "alias-pub", new MemoryPersistence());
            CountDownLatch connected = new CountDownLatch(1);
            List<String> lost = new CopyOnWriteArrayList<>();
            client.setCallback(new ConnectCallback(() -> {
                OutgoingTopicAliases.off(client);
                connected.countDown();
            }, () -> lost.add("connection lost")));
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setAutomaticReconnect(false);
            IMqttToken c = client.connect(o);
            c.waitForCompletion(5000);
            Integer aliases = c.getResponseProperties() == null ? null : c.getResponseProperties().getTopicAliasMaximum();
            assertThat(aliases).as("the broker allows topic aliases: the case this guards against").isNotNull()
                    .isPositive();
            assertThat(connected.await(5, TimeUnit.SECONDS)).isTrue();

            // fill the broker's receive window with one topic, then publish a new one while it is full
            String refusedTopic = null;
            for (int k = 0; k < 50 && refusedTopic == null; k++) {
                List<IMqttToken> busy = new java.util.ArrayList<>();
                try {
                    for (int i = 0; i < 10_000; i++) {
                        busy.add(client.publish("alias/busy", new MqttMessage(new byte[] {1}, 1, false, null)));
                    }
                } catch (MqttException e) {
                    assertThat(e.getReasonCode()).isEqualTo(MqttClientException.REASON_CODE_MAX_INFLIGHT);
                }
                try {
                    client.publish("alias/fresh-" + k, new MqttMessage(new byte[] {2}, 1, false, null));
                    busy.clear(); // a PUBACK made room meanwhile: try again
                } catch (MqttException e) {
                    assertThat(e.getReasonCode()).isEqualTo(MqttClientException.REASON_CODE_MAX_INFLIGHT);
                    refusedTopic = "alias/fresh-" + k;
                }
                for (IMqttToken t : busy) {
                    t.waitForCompletion(5000);
                }
                Thread.sleep(50);
            }
            assertThat(refusedTopic).as("a publish to a new topic refused for the full window").isNotNull();

            client.publish(refusedTopic, new MqttMessage("again".getBytes(StandardCharsets.UTF_8), 1, false, null))
                    .waitForCompletion(5000);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!received.contains(refusedTopic) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(received).as("the topic of the refused publish, sent again").contains(refusedTopic);
            assertThat(lost).as("connection drops").isEmpty();
            assertThat(client.isConnected()).isTrue();
            client.disconnect().waitForCompletion(2000);
            client.close();
            subscriber.disconnect();
            subscriber.close();
        }
    }
}
