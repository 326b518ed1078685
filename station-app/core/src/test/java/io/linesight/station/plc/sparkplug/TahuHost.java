/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.jspecify.annotations.Nullable;

/** A Sparkplug host application for tests: subscribes to a group and decodes every message with Tahu. */
final class TahuHost implements AutoCloseable {

    record Received(String topic, SparkplugBPayload payload) {
        String type() {
            return topic.split("/")[2];
        }

        @Nullable Object value(String metric) {
            return payload.getMetrics().stream().filter(m -> metric.equals(m.getName())).map(Metric::getValue)
                    .findFirst().orElse(null);
        }

        long seq() {
            return payload.getSeq();
        }
    }

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    TahuHost(String url, String groupId) throws MqttException, java.io.IOException {
        this(url, groupId, io.linesight.station.plc.BrokerSecurity.NONE);
    }

    TahuHost(String url, String groupId, io.linesight.station.plc.BrokerSecurity security) throws MqttException, java.io.IOException {
        client = new MqttClient(url, "tahu-host-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        security.applyTo(o, url);
        client.connect(o);
        client.subscribe(new MqttSubscription[] {new MqttSubscription("spBv1.0/" + groupId + "/#", 1)},
                new IMqttMessageListener[] {(topic, m) -> received.add(
                        new Received(topic, new SparkplugBPayloadDecoder().buildFromByteArray(m.getPayload(),
                                new MetricDataTypeMap())))});
    }

    /** The next message, or fails after 10 s. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no Sparkplug message within 10 s");
        }
        return r;
    }

    /** The next message of this type, skipping others. */
    Received next(String type) throws InterruptedException {
        while (true) {
            Received r = next();
            if (r.type().equals(type)) {
                return r;
            }
        }
    }

    @Nullable Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    void rebirth(SparkplugTopics topics) throws Exception {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder()
                .addMetric(new Metric.MetricBuilder("Node Control/Rebirth", MetricDataType.Boolean, true).createMetric())
                .createPayload();
        client.publish(topics.ncmd(), new MqttMessage(new SparkplugBPayloadEncoder().getBytes(p, false), 0, false, null));
    }

    void state(String hostId, String payload) throws MqttException {
        client.publish(SparkplugTopics.hostState(hostId),
                new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, true, null));
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
