/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import io.linesight.config.station.BrokerConfig;
import io.linesight.station.inspect.Inspection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.DisconnectedBufferOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC link over MQTT 5 (Eclipse Paho): verdicts at QoS 1, retained state with the will OFFLINE, heartbeat each
 * second. Sockets have TCP_NODELAY. While the broker is away, verdicts are buffered in the client and sent in order
 * when it returns.
 */
public final class MqttPlcLink implements PlcLink {
    private static final Logger log = LoggerFactory.getLogger(MqttPlcLink.class);
    private static final int QOS = 1;

    private final MqttAsyncClient client;
    private final Topics topics;
    private final BrokerConfig.Payload payload;
    private final String url;
    private final AtomicLong seq;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final Object publishLock = new Object();
    private volatile StationState lastState = StationState.ONLINE;
    private volatile boolean closed;

    /**
     * Connects and publishes {@code ONLINE}. Blocks until connected or the connect timeout passes; a broker that is
     * down at start is an error (the station refuses to run without its PLC link).
     *
     * @param url       the broker URL (resolved: the embedded broker's real URL when embedded)
     * @param firstSeq  the sequence number of the first verdict (one more than the last one ever sent)
     */
    public static MqttPlcLink connect(String url, BrokerConfig config, Topics topics, long firstSeq,
                                      @Nullable Path configDir) throws IOException {
        String clientId = config.clientId() != null ? config.clientId() : "linesight-" + topics.line() + "-" + topics.station();
        try {
            MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            MqttPlcLink link = new MqttPlcLink(client, topics, config.payload(), url, firstSeq);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setAutomaticReconnect(true);
            o.setAutomaticReconnectDelay(1, 10);
            o.setKeepAliveInterval(config.keepAliveS());
            o.setConnectionTimeout(10);
            o.setCleanStart(true);
            o.setMaxReconnectDelay(10_000);
            o.setSocketFactory(new NoDelaySocketFactory(SocketFactory.getDefault()));
            MqttMessage will = new MqttMessage(StationState.OFFLINE.name().getBytes(StandardCharsets.US_ASCII), QOS, true, null);
            o.setWill(topics.state(), will);
            if (config.username() != null) {
                o.setUserName(config.username());
                byte[] password = password(config, configDir);
                if (password != null) {
                    o.setPassword(password);
                }
            }
            DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
            buffer.setBufferEnabled(true);
            buffer.setBufferSize(100_000);
            buffer.setPersistBuffer(false);
            buffer.setDeleteOldestMessages(false);
            client.setBufferOpts(buffer);
            client.setCallback(link.callback());
            client.connect(o).waitForCompletion(15_000);
            link.state(StationState.ONLINE);
            return link;
        } catch (MqttException e) {
            throw new IOException("cannot connect to MQTT broker " + url + ": " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
        }
    }

    private MqttPlcLink(MqttAsyncClient client, Topics topics, BrokerConfig.Payload payload, String url, long firstSeq) {
        this.client = client;
        this.topics = topics;
        this.payload = payload;
        this.url = url;
        this.seq = new AtomicLong(firstSeq - 1);
    }

    /** The password from {@code passwordFile} (trimmed) or the {@code LINESIGHT_MQTT_PASSWORD} environment variable. */
    static byte @Nullable [] password(BrokerConfig config, @Nullable Path configDir) throws IOException {
        if (config.passwordFile() != null) {
            Path file = configDir == null ? Path.of(config.passwordFile()) : configDir.resolve(config.passwordFile());
            return Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        }
        String env = System.getenv("LINESIGHT_MQTT_PASSWORD");
        return env == null ? null : env.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Inspection publish(Inspection inspection) {
        synchronized (publishLock) {
            Inspection numbered = inspection.withSeq(seq.incrementAndGet());
            send(topics.verdict(), VerdictPayload.encode(numbered, payload, false), false);
            return numbered;
        }
    }

    /** Publishes a heartbeat payload (not retained, QoS 0). */
    public void heartbeat(Supplier<String> json) {
        if (client.isConnected()) {
            try {
                client.publish(topics.heartbeat(), json.get().getBytes(StandardCharsets.UTF_8), 0, false);
            } catch (MqttException e) {
                log.atDebug().setMessage("heartbeat not sent").addKeyValue("error", e.getMessage()).log();
            }
        }
    }

    private void send(String topic, byte[] body, boolean retained) {
        MqttMessage m = new MqttMessage(body, QOS, retained, new MqttProperties());
        sent.incrementAndGet();
        try {
            client.publish(topic, m, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.incrementAndGet();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    log.atError().setMessage("verdict not acknowledged by broker").addKeyValue("topic", topic)
                            .addKeyValue("error", String.valueOf(e)).log();
                }
            });
        } catch (MqttException e) {
            // Only when the client's offline buffer is full or the client is closed: this is a lost verdict, say so.
            log.atError().setMessage("verdict could not be queued for the broker").addKeyValue("topic", topic)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    @Override
    public void state(StationState state) {
        lastState = state;
        send(topics.state(), state.name().getBytes(StandardCharsets.US_ASCII), true);
    }

    @Override
    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public String brokerUrl() {
        return url;
    }

    /** Verdicts handed to the client, and those the broker acknowledged. */
    public long sentCount() {
        return sent.get();
    }

    public long ackedCount() {
        return acked.get();
    }

    public long lastSeq() {
        return seq.get();
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                log.atWarn().setMessage("PLC link lost broker").addKeyValue("url", url)
                        .addKeyValue("reason", String.valueOf(response.getReasonString())).log();
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                log.atWarn().setMessage("MQTT error").addKeyValue("error", e.getMessage()).log();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // commands arrive through the station's command handler, subscribed separately
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    log.atInfo().setMessage("PLC link reconnected").addKeyValue("url", serverURI).log();
                    state(lastState);
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    /** The client, for the command handler to subscribe on the same connection. */
    public MqttAsyncClient client() {
        return client;
    }

    /** Publishes OFFLINE and disconnects within a few seconds; waits for queued verdicts up to that time. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (client.isConnected()) {
                long until = System.nanoTime() + 3_000_000_000L;
                while (acked.get() < sent.get() && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                client.publish(topics.state(), StationState.OFFLINE.name().getBytes(StandardCharsets.US_ASCII), QOS, true)
                        .waitForCompletion(2000);
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MqttException e) {
            log.atWarn().setMessage("PLC link did not close cleanly").addKeyValue("error", e.getMessage()).log();
        }
    }
}
