/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.bench;

import io.linesight.station.Station;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.plc.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Stands where the PLC stands: subscribed to the station's verdicts on the station's broker, with the broker
 * section's security. The bench notes when it triggered each part; the probe notes when the part's verdict arrived.
 * Arrival is noted on Paho's callback thread and nothing else is done there.
 */
final class PlcProbe implements AutoCloseable {
    private final MqttClient client;
    private final Map<String, Long> triggered = new ConcurrentHashMap<>();
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();

    private PlcProbe(MqttClient client) {
        this.client = client;
    }

    static PlcProbe connect(Station station) throws IOException {
        String url = station.brokerUrl();
        try {
            MqttClient c = new MqttClient(url, "linesight-bench-" + ProcessHandle.current().pid(), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(10);
            BrokerSecurity.of(station.config().broker(), station.configDir()).applyTo(o, url);
            c.connect(o);
            PlcProbe probe = new PlcProbe(c);
            Topics topics = new Topics(station.config().line(), station.config().station());
            IMqttMessageListener onVerdict = (topic, m) -> probe.arrived.putIfAbsent(partId(m.getPayload()), System.nanoTime());
            // Paho's subscribe(String, int, listener) recurses forever in 1.2.5: the array form
            c.subscribe(new MqttSubscription[] {new MqttSubscription(topics.verdict(), 1)},
                    new IMqttMessageListener[] {onVerdict});
            return probe;
        } catch (MqttException e) {
            throw new IOException("bench: cannot subscribe to the verdicts on " + url + ": "
                    + BrokerSecurity.explain(e, url), e);
        }
    }

    /** The part id of a verdict payload, JSON or compact ({@code partId;seq;…}). */
    static String partId(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8);
        if (s.startsWith("{")) {
            int key = s.indexOf("\"partId\"");
            int open = key < 0 ? -1 : s.indexOf('"', s.indexOf(':', key) + 1);
            int close = open < 0 ? -1 : s.indexOf('"', open + 1);
            return close < 0 ? "" : s.substring(open + 1, close);
        }
        int semi = s.indexOf(';');
        return semi < 0 ? s : s.substring(0, semi);
    }

    /** The bench is about to trigger this part. */
    void triggering(String partId) {
        triggered.put(partId, System.nanoTime());
    }

    /** Forgets what was noted (between steps). */
    void clear() {
        triggered.clear();
        arrived.clear();
    }

    /** Verdicts that arrived for parts triggered since {@link #clear()}. */
    long arrivedCount() {
        return triggered.keySet().stream().filter(arrived::containsKey).count();
    }

    /** Trigger → verdict-at-subscriber latencies of the parts triggered since {@link #clear()}, in ns. */
    Histogram latencies() {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        triggered.forEach((id, at) -> {
            Long got = arrived.get(id);
            if (got != null) {
                h.recordValue(Math.max(1, got - at));
            }
        });
        return h;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        } catch (MqttException e) {
            // closing a probe: nothing to keep
        }
    }
}
