/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.linesight.station.plc.NoDelaySocketFactory;
import io.linesight.station.plc.ReconnectWatchdog;
import javax.net.SocketFactory;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Listens like a PLC: counts verdicts per part and reports missing, duplicate (same partId and seq), out-of-order
 * and late verdicts, seq gaps, and latency percentiles; optionally triggers parts on {@code cmd/trigger} at a rate.
 * Its session is persistent (clean start off, one hour expiry), so verdicts published while it is reconnecting are
 * queued by the broker for it, as a real PLC's session would be.
 */
public final class PlcSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MqttClient client;
    private final String base;
    private final long deadlineMs;
    private final Map<String, Long> firstSeqByPart = new ConcurrentHashMap<>();
    private final Map<String, Long> triggeredAtNanos = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<Long> seqs = ConcurrentHashMap.newKeySet();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong arrivedAfterDeadline = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final AtomicLong lastSeq = new AtomicLong();
    private final Histogram stationLatency = new Histogram(3_600_000_000L, 3);
    private final Histogram roundTrip = new Histogram(3_600_000_000L, 3);
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private @Nullable ScheduledExecutorService triggerer;
    /** Keeps the session coming back even when Paho's own reconnect cycle stopped (see ReconnectWatchdog). */
    private final ScheduledExecutorService watchdogThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plc-sim-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong triggered = new AtomicLong();

    /**
     * @param deadlineMs a verdict whose latency exceeds this is late (0: use each verdict's own deadlineAt)
     */
    public PlcSimulator(String brokerUrl, String line, String station, long deadlineMs) throws MqttException {
        this.base = "linesight/" + line + "/" + station;
        this.deadlineMs = deadlineMs;
        client = new MqttClient(brokerUrl, "plc-sim-" + line + "-" + station, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 2);
        o.setKeepAliveInterval(5);
        o.setSocketFactory(new NoDelaySocketFactory(SocketFactory.getDefault())); // a PLC that waits 40 ms per trigger is no PLC
        client.connect(o);
        IMqttMessageListener onVerdict = (t, m) -> verdict(m);
        IMqttMessageListener onState = (t, m) -> states.put(t, new String(m.getPayload(), StandardCharsets.US_ASCII));
        // Paho 1.2.5's subscribe(String, int, listener) recurses: use the array form
        client.subscribe(new MqttSubscription[] {new MqttSubscription(base + "/verdict", 1), new MqttSubscription(base + "/state", 1)},
                new IMqttMessageListener[] {onVerdict, onState});
        ReconnectWatchdog watchdog = new ReconnectWatchdog(ReconnectWatchdog.DEFAULT_PATIENCE);
        watchdogThread.scheduleWithFixedDelay(() -> {
            if (watchdog.due(client.isConnected(), System.nanoTime())) {
                try {
                    client.reconnect();
                } catch (MqttException e) {
                    // an attempt is under way after all, or the simulator is closing
                }
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    private void verdict(MqttMessage m) {
        long now = System.nanoTime();
        messages.incrementAndGet();
        JsonNode v;
        String partId;
        long seq;
        boolean isResent = false;
        String body = new String(m.getPayload(), StandardCharsets.UTF_8);
        if (body.startsWith("{")) {
            try {
                v = JSON.readTree(body);
            } catch (Exception e) {
                return;
            }
            partId = v.path("partId").asText();
            seq = v.path("seq").asLong();
            isResent = v.path("resent").asBoolean(false);
            double latencyMs = v.path("latencyMs").asDouble();
            synchronized (stationLatency) {
                stationLatency.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
            }
            Instant deadlineAt = Instant.parse(v.path("deadlineAt").asText());
            boolean isLate = deadlineMs > 0 ? latencyMs > deadlineMs : Instant.parse(v.path("decidedAt").asText()).isAfter(deadlineAt);
            if (isLate) {
                late.incrementAndGet();
            }
            if (!isResent && Instant.now().isAfter(deadlineAt) && !seen.contains(partId + "#arrived")) {
                arrivedAfterDeadline.incrementAndGet(); // the gate acted before it came: the part was rejected there
            }
            seen.add(partId + "#arrived");
            if ("REJECT".equals(v.path("result").asText()) && seen.add("reject:" + partId)) {
                rejects.incrementAndGet();
            }
        } else {
            String[] f = body.split(";");
            partId = f[0];
            seq = Long.parseLong(f[1]);
        }
        if (isResent) {
            resent.incrementAndGet();
        }
        String key = partId + "#" + seq;
        if (!seen.add(key)) {
            duplicates.incrementAndGet();
            return;
        }
        seqs.add(seq);
        long previous = lastSeq.getAndAccumulate(seq, Math::max);
        if (seq < previous && !isResent) {
            outOfOrder.incrementAndGet();
        }
        firstSeqByPart.putIfAbsent(partId, seq);
        Long t0 = triggeredAtNanos.get(partId);
        if (t0 != null) {
            synchronized (roundTrip) {
                roundTrip.recordValue(Math.max(1, (now - t0) / 1000));
            }
        }
    }

    /** Publishes {@code cmd/trigger} at {@code rateHz} with part ids {@code <prefix>-<n>}; stops after {@code count}. */
    public void triggerAt(double rateHz, long count, String prefix) {
        ScheduledExecutorService t0 = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plc-sim-trigger");
            t.setDaemon(true);
            return t;
        });
        triggerer = t0;
        long period = Math.max(1, Math.round(1e9 / rateHz));
        t0.scheduleAtFixedRate(() -> {
            long n = triggered.incrementAndGet();
            if (count > 0 && n > count) {
                t0.shutdown();
                return;
            }
            String id = prefix + "-" + n;
            triggeredAtNanos.put(id, System.nanoTime());
            try {
                client.publish(base + "/cmd/trigger", new MqttMessage(id.getBytes(StandardCharsets.US_ASCII), 1, false, null));
            } catch (MqttException e) {
                triggeredAtNanos.remove(id);
            }
        }, 0, period, TimeUnit.NANOSECONDS);
    }

    public long triggered() {
        return Math.min(triggered.get(), triggeredAtNanos.size());
    }

    /** Parts with at least one verdict. */
    public int parts() {
        return firstSeqByPart.size();
    }

    public @Nullable String state() {
        return states.get(base + "/state");
    }

    /** Waits until {@code n} parts have a verdict or the time is up. */
    public boolean awaitParts(int n, long timeoutMs) throws InterruptedException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (parts() < n && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return parts() >= n;
    }

    /** Part ids triggered by this simulator that got no verdict. */
    public Set<String> missing() {
        Set<String> out = new LinkedHashSet<>(triggeredAtNanos.keySet());
        out.removeAll(firstSeqByPart.keySet());
        return out;
    }

    /** Seq numbers between the lowest and highest seen that never arrived. */
    public long seqGaps() {
        if (seqs.isEmpty()) {
            return 0;
        }
        long min = seqs.stream().mapToLong(Long::longValue).min().orElse(0);
        long max = seqs.stream().mapToLong(Long::longValue).max().orElse(0);
        return (max - min + 1) - new HashSet<>(seqs).size();
    }

    public Report report() {
        synchronized (stationLatency) {
            synchronized (roundTrip) {
                return new Report(messages.get(), parts(), missing().size(), duplicates.get(), outOfOrder.get(), late.get(),
                        arrivedAfterDeadline.get(), resent.get(), seqGaps(), rejects.get(), stationLatency.getTotalCount() == 0 ? 0 : stationLatency.getValueAtPercentile(50) / 1000.0,
                        stationLatency.getTotalCount() == 0 ? 0 : stationLatency.getValueAtPercentile(99) / 1000.0,
                        roundTrip.getTotalCount() == 0 ? 0 : roundTrip.getValueAtPercentile(50) / 1000.0,
                        roundTrip.getTotalCount() == 0 ? 0 : roundTrip.getValueAtPercentile(99) / 1000.0);
            }
        }
    }

    /**
     * What the PLC saw. Latencies in ms: {@code station*} as the station measured trigger→decision; {@code roundTrip*}
     * from this simulator's own trigger message to the verdict's arrival (only for parts it triggered).
     */
    public record Report(long messages, long parts, long missing, long duplicates, long outOfOrder, long late,
                         long arrivedAfterDeadline, long resent,
                         long seqGaps, long rejects, double stationP50Ms, double stationP99Ms, double roundTripP50Ms,
                         double roundTripP99Ms) {
        public String line() {
            return String.format(Locale.ROOT, "plc-sim: messages=%d parts=%d missing=%d duplicates=%d out_of_order=%d late=%d "
                            + "gate_rejected=%d resent=%d seq_gaps=%d rejects=%d station_p50_ms=%.2f station_p99_ms=%.2f "
                            + "trigger_to_verdict_p50_ms=%.2f trigger_to_verdict_p99_ms=%.2f", messages, parts, missing, duplicates,
                    outOfOrder, late, gateRejected(), resent, seqGaps, rejects, stationP50Ms, stationP99Ms, roundTripP50Ms,
                    roundTripP99Ms);
        }

        /**
         * Parts the gate rejected because no verdict was there by the deadline (the PLC's side of the contract): no
         * verdict at all, or the first one arriving after {@code deadlineAt}.
         */
        public long gateRejected() {
            return missing + arrivedAfterDeadline;
        }
    }

    /** Whether the simulator's MQTT session is connected now. */
    public boolean connected() {
        return client.isConnected();
    }

    /** For tests: how many verdict messages a part got (duplicates included). */
    public Map<String, Long> firstSeqByPart() {
        return new HashMap<>(firstSeqByPart);
    }

    @Override
    public void close() {
        watchdogThread.shutdownNow();
        if (triggerer != null) {
            triggerer.shutdownNow();
        }
        try {
            client.disconnect();
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close();
        } catch (MqttException e) {
            // closing anyway
        }
    }
}
