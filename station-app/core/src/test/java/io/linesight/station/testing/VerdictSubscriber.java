/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/** Subscribes like a PLC: every message on the station's topics, in arrival order. */
public final class VerdictSubscriber implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MqttClient client;
    private final List<JsonNode> verdicts = new ArrayList<>();
    private final Map<String, String> retained = new ConcurrentHashMap<>();

    public VerdictSubscriber(String url, String topicBase) throws MqttException {
        client = new MqttClient(url, "test-plc-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o);
        // Paho 1.2.5's subscribe(String, int, listener) recurses forever: use the array form.
        IMqttMessageListener onVerdict = (topic, m) -> {
            synchronized (verdicts) {
                verdicts.add(JSON.readTree(m.getPayload()));
            }
        };
        IMqttMessageListener onState = (topic, m) -> retained.put(topic, new String(m.getPayload(), StandardCharsets.US_ASCII));
        client.subscribe(new MqttSubscription[] {new MqttSubscription(topicBase + "/verdict", 1),
            new MqttSubscription(topicBase + "/state", 1)}, new IMqttMessageListener[] {onVerdict, onState});
    }

    public List<JsonNode> verdicts() {
        synchronized (verdicts) {
            return List.copyOf(verdicts);
        }
    }

    /** Waits until {@code n} verdicts arrived or {@code timeoutMs} passed; returns what arrived. */
    public List<JsonNode> await(int n, long timeoutMs) throws InterruptedException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (verdicts().size() < n && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return verdicts();
    }

    /** The distinct part ids that got a verdict. */
    public java.util.Set<String> partIds() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        verdicts().forEach(v -> out.add(v.path("partId").asText()));
        return out;
    }

    public String state(String topicBase) {
        return retained.get(topicBase + "/state");
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
