/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.station.plc.NoDelaySocketFactory;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import io.linesight.station.realtime.RealtimeScheduling;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.jspecify.annotations.Nullable;

/**
 * The PLC of the chaos run: fires the camera's line (a UDP edge naming the part that is really there, with the time
 * it fired), announces the part on {@code cmd/trigger} with that time, and records every verdict and state change it
 * receives, with the wall-clock time it arrived. Its MQTT session is persistent, as a real PLC's should be, so
 * verdicts sent while it reconnects after a broker restart are kept for it.
 */
final class ChaosPlc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One verdict as the PLC received it. */
    record Received(String partId, long seq, String result, String reason, String detail, @Nullable String imagedPart,
                   Instant decidedAt, Instant deadlineAt, Instant arrivedAt, boolean resent) {
    }

    /** A state change as the PLC saw it. */
    record StateChange(String state, Instant at) {
    }

    private final MqttClient client;
    /** Replaced by {@link #keepSenderConnected} whenever it lost the broker: never one that may be stuck. */
    private volatile MqttClient sender;
    private final String url;
    private final ScheduledExecutorService senderKeeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            RealtimeScheduling.threadFactory("chaos-plc-keeper"));
    private final String user;
    private final String password;
    private final MqttClient watcher;
    private final ScheduledExecutorService mqttThreads;
    private final String base;
    private final DatagramSocket line = new DatagramSocket();
    private final int linePort;
    private final Map<String, List<Received>> verdicts = new ConcurrentHashMap<>();
    private final List<StateChange> states = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> state = new AtomicReference<>("UNKNOWN");
    private final AtomicReference<JsonNode> status = new AtomicReference<>(JSON.createObjectNode());
    private final AtomicLong announceFailures = new AtomicLong();
    private final AtomicLong maxRefused = new AtomicLong();

    ChaosPlc(String url, String base, String user, String password, int linePort) throws MqttException, IOException {
        this.base = base;
        this.linePort = linePort;
        // three connections, on real-time threads (the PLC is a machine of its own; it must not starve with the
        // station): one that receives verdicts, with a persistent session so that verdicts sent while it reconnects are
        // kept for it; one that only sends, with a clean session (nothing to resume after a broker restart); one that
        // watches state and status and subscribes again on every connect, so it always has the latest of both
        mqttThreads = new ScheduledThreadPoolExecutor(12, RealtimeScheduling.threadFactory("chaos-plc-mqtt"));
        client = new MqttClient(url, "chaos-plc-in", new MemoryPersistence(), mqttThreads);
        client.setTimeToWait(5_000);
        client.connect(options(user, password, false));
        this.url = url;
        this.user = user;
        this.password = password;
        sender = newSender();
        sender.connect(options(user, password, true, false));
        // Paho's automatic reconnect once left this sender disconnected for the rest of a run after a broker restart
        // (925 of 1,500 parts not announced): it reconnects by hand instead, with a fresh client each time
        senderKeeper.scheduleWithFixedDelay(this::keepSenderConnected, 250, 250, TimeUnit.MILLISECONDS);
        watcher = new MqttClient(url, "chaos-plc-watch", new MemoryPersistence(), mqttThreads);
        watcher.setTimeToWait(5_000);
        IMqttMessageListener onVerdict = (t, m) -> verdict(m);
        client.subscribe(new MqttSubscription[] {new MqttSubscription(base + "/verdict", 1)},
                new IMqttMessageListener[] {onVerdict});
        watcher.setCallback(new io.linesight.station.plc.ConnectCallback(() -> Thread.ofVirtual().start(() -> {
            try {
                watcher.subscribe(new MqttSubscription[] {new MqttSubscription(base + "/state", 1),
                    new MqttSubscription(base + "/status", 0)}, new IMqttMessageListener[] {
                        (t, m) -> onState(m), (t, m) -> onStatus(m)});
            } catch (MqttException e) {
                // the next reconnect tries again
            }
        })));
        watcher.connect(options(user, password, true));
    }

    private void onState(MqttMessage m) {
        String s = new String(m.getPayload(), StandardCharsets.US_ASCII);
        if (!s.equals(state.getAndSet(s))) {
            states.add(new StateChange(s, Instant.now()));
        }
    }

    private void onStatus(MqttMessage m) throws IOException {
        JsonNode n = JSON.readTree(m.getPayload());
        status.set(n);
        maxRefused.accumulateAndGet(n.path("refusedPublishes").asLong(), Math::max);
        String s = n.path("state").asText();
        if (!s.isEmpty() && !s.equals(state.getAndSet(s))) {
            states.add(new StateChange(s, Instant.now())); // a state change the state topic's retained copy hid
        }
    }

    private MqttClient newSender() throws MqttException {
        MqttClient c = new MqttClient(url, "chaos-plc-out", new MemoryPersistence(), mqttThreads);
        c.setTimeToWait(2_000);
        return c;
    }

    /** Connects a fresh sender while the current one has no broker; the announcer counts what it could not send. */
    private void keepSenderConnected() {
        MqttClient old = sender;
        if (old.isConnected()) {
            return;
        }
        try {
            MqttClient fresh = newSender();
            fresh.connect(options(user, password, true, false));
            sender = fresh;
            try {
                old.disconnectForcibly(0, 0, false);
            } catch (MqttException e) {
                // it had no connection anyway
            }
            old.close(true);
        } catch (MqttException | RuntimeException e) {
            // the broker is still away: the next round tries again
        }
    }

    private static MqttConnectionOptions options(String user, String password, boolean clean) {
        return options(user, password, clean, true);
    }

    private static MqttConnectionOptions options(String user, String password, boolean clean, boolean reconnect) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(clean);
        if (!clean) {
            o.setSessionExpiryInterval(3600L);
        }
        o.setAutomaticReconnect(reconnect);
        o.setAutomaticReconnectDelay(1, 1);
        o.setKeepAliveInterval(2);
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        o.setSocketFactory(new NoDelaySocketFactory(SocketFactory.getDefault()));
        return o;
    }

    private void verdict(MqttMessage m) throws IOException {
        Instant now = Instant.now();
        JsonNode v = JSON.readTree(m.getPayload());
        JsonNode reasons = v.path("reasons");
        String partId = v.path("partId").asText();
        Received r = new Received(partId, v.path("seq").asLong(), v.path("result").asText(),
                reasons.isEmpty() ? "" : reasons.get(0).asText(), v.path("details").path(0).path("detail").asText(),
                v.hasNonNull("imagedPart") ? v.get("imagedPart").asText() : null,
                Instant.parse(v.path("decidedAt").asText()), Instant.parse(v.path("deadlineAt").asText()), now,
                v.path("resent").asBoolean());
        verdicts.computeIfAbsent(partId, k -> new CopyOnWriteArrayList<>()).add(r);
    }

    /** Fires the camera's line: an edge with the part that is really under the camera, and when. */
    void edge(@Nullable String partUnderCamera, Instant firedAt) throws IOException {
        long micros = firedAt.getEpochSecond() * 1_000_000L + firedAt.getNano() / 1000;
        byte[] b = ((partUnderCamera == null ? "" : partUnderCamera) + "@" + micros).getBytes(StandardCharsets.UTF_8);
        line.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), linePort));
    }

    /** Announces a part to the station; false when the broker could not be reached (the gate rejects it). */
    boolean announce(String partId, Instant firedAt) {
        try {
            MqttClient out = sender;
            if (!out.isConnected()) {
                announceFailures.incrementAndGet();
                return false;
            }
            String body = "{\"partId\":\"" + partId + "\",\"firedAt\":\"" + firedAt + "\"}";
            out.publish(base + "/cmd/trigger", body.getBytes(StandardCharsets.UTF_8), 1, false);
            return true;
        } catch (MqttException | RuntimeException e) {
            announceFailures.incrementAndGet();
            return false;
        }
    }

    String state() {
        return state.get();
    }

    JsonNode status() {
        return status.get();
    }

    List<StateChange> states() {
        return List.copyOf(states);
    }

    Map<String, List<Received>> verdicts() {
        return verdicts;
    }

    long announceFailures() {
        return announceFailures.get();
    }

    /** The most refused publishes one station run reported (its counter restarts with the process). */
    long refusedPublishesSeen() {
        return maxRefused.get();
    }

    @Override
    public void close() {
        senderKeeper.shutdownNow(); // no sender replaced while closing
        try {
            senderKeeper.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        line.close();
        for (MqttClient c : List.of(sender, watcher, client)) {
            try {
                c.disconnect();
                c.close();
            } catch (MqttException e) {
                // closing anyway
            }
        }
        mqttThreads.shutdownNow();
    }
}
