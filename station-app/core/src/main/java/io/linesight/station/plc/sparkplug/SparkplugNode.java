/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import io.linesight.station.plc.OutgoingTopicAliases;
import io.linesight.station.secrets.Secrets;
import io.linesight.config.station.SparkplugConfig;
import io.linesight.station.result.Inspection;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.plc.StationState;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.tahu.SparkplugException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station as a Sparkplug B 3.0 edge node with one device, on its own MQTT connection (docs/PLC.md, "Sparkplug B").
 *
 * <p>Per MQTT session: a new bdSeq (kept in {@code sparkplug-bdseq} under the data folder) is put in the NDEATH will,
 * then NBIRTH (seq 0, bdSeq, {@code Node Control/Rebirth}) and DBIRTH (every device metric) are published, then one
 * DDATA per verdict. seq runs 0–255 and wraps over all node messages; it starts again at 0 with each NBIRTH. An NCMD
 * {@code Node Control/Rebirth = true} publishes both births again. With a primary host configured, births wait until
 * its retained {@code spBv1.0/STATE/<host>} says online, and are published again each time it comes back.
 *
 * <p><b>Threads.</b> One thread, "sparkplug-node", owns the connection, the seq and the metrics; Paho's callback
 * thread only sets flags. {@link #onVerdict} and {@link #onState} never block: verdicts go through a bounded queue
 * and are dropped (counted) when it is full. This namespace is an extra view for plant systems; the PLC's reject
 * gate is served by {@link io.linesight.station.plc.MqttPlcLink}, which never waits for it.
 */
public final class SparkplugNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SparkplugNode.class);
    private static final String REBIRTH = "Node Control/Rebirth";
    private static final String BD_SEQ = "bdSeq";
    private static final long TIMEOUT_MS = 10_000;

    /** Where the node stands, for the HMI and tests. */
    public enum Phase { CONNECTING, WAITING_FOR_HOST, ONLINE, CLOSED }

    private final SparkplugTopics topics;
    private final @Nullable String primaryHostId;
    private final String url;
    private final BrokerSecurity security;
    private final MqttAsyncClient client;
    private final int keepAliveS;
    private final BdSeqFile bdSeqFile;
    private final BlockingQueue<Inspection> verdicts;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<@Nullable StationState> pendingState = new AtomicReference<>();
    private final AtomicBoolean rebirth = new AtomicBoolean();
    private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
    private final DeviceMetrics metrics = new DeviceMetrics();
    private final Thread thread;
    private volatile boolean connected;
    private volatile boolean hostOnline;
    // counts the host's comings online; written before hostOnline, so a reader that sees it online sees the count
    private volatile long hostEpoch;
    private volatile boolean closed;
    private volatile Phase phase = Phase.CONNECTING;
    private volatile long bdSeq = -1;
    // owned by the node thread
    private long seq;
    private boolean birthed;
    private long birthedEpoch;

    private SparkplugNode(SparkplugTopics topics, @Nullable String primaryHostId, String url, BrokerSecurity security,
                          MqttAsyncClient client, int keepAliveS, BdSeqFile bdSeqFile, int queue) {
        this.topics = topics;
        this.primaryHostId = primaryHostId;
        this.url = url;
        this.security = security;
        this.client = client;
        this.keepAliveS = keepAliveS;
        this.bdSeqFile = bdSeqFile;
        this.verdicts = new ArrayBlockingQueue<>(queue);
        this.thread = Thread.ofPlatform().name("sparkplug-node").daemon(true).unstarted(this::run);
        this.thread.setUncaughtExceptionHandler((t, e) -> log.atError().setMessage("sparkplug node thread died")
                .addKeyValue("error", e.toString()).setCause(e).log());
    }

    /**
     * Starts the node; it connects on its own thread (retrying with backoff) and returns at once.
     *
     * @param line       the station's line id: the group id when the config names none
     * @param station    the station id: the edge node and device ids when the config names none
     * @param stationUrl the PLC link's broker URL, used when the config names none
     * @param dataDir    where {@code sparkplug-bdseq} is kept
     */
    public static SparkplugNode start(SparkplugConfig config, String line, String station, String stationUrl, Path dataDir)
            throws IOException {
        return start(config, line, station, stationUrl, BrokerSecurity.NONE, null, dataDir);
    }

    /**
     * As {@link #start(SparkplugConfig, String, String, String, Path)}, with credentials: the PLC link's
     * {@code stationSecurity} when the config names no broker of its own (same broker), else the config's own.
     *
     * @param configDir what relative file names in the config are relative to, or null for the working directory
     */
    public static SparkplugNode start(SparkplugConfig config, String line, String station, String stationUrl,
                                      BrokerSecurity stationSecurity, @Nullable Path configDir, Path dataDir)
            throws IOException {
        SparkplugTopics topics = new SparkplugTopics(or(config.groupId(), line), or(config.edgeNodeId(), station),
                or(config.deviceId(), station));
        String url = or(config.url(), stationUrl);
        String clientId = or(config.clientId(), "linesight-sp-" + topics.groupId() + "-" + topics.edgeNodeId());
        try {
            MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            BrokerSecurity security = config.url() == null || config.url().isBlank() ? stationSecurity
                    : new BrokerSecurity(config.username(), file(configDir, config.passwordFile()),
                            file(configDir, config.caFile()), file(configDir, config.certFile()), file(configDir, config.keyFile()));
            SparkplugNode node = new SparkplugNode(topics, config.primaryHostId(), url, security, client, config.keepAliveS(),
                    new BdSeqFile(dataDir.resolve("sparkplug-bdseq")), config.queue());
            client.setCallback(node.callback());
            node.thread.start();
            return node;
        } catch (MqttException e) {
            throw new IOException(Secrets.redact("Sparkplug MQTT client for " + url + ": " + e.getMessage()), e);
        }
    }

    private static @Nullable Path file(@Nullable Path dir, @Nullable String name) {
        return name == null ? null : dir == null ? Path.of(name) : dir.resolve(name);
    }

    private static String or(@Nullable String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Queues a decided part for DDATA. Never blocks; when the queue is full the verdict is dropped and counted. */
    public void onVerdict(Inspection inspection) {
        if (!verdicts.offer(inspection)) {
            dropped.incrementAndGet();
        }
    }

    /** The station state for the {@code State} metric; published as DDATA by the node thread. Never blocks. */
    public void onState(StationState state) {
        pendingState.set(state);
    }

    public SparkplugTopics topics() {
        return topics;
    }

    public Phase phase() {
        return phase;
    }

    /** The bdSeq of the current (or last) session; -1 before the first connect. */
    public long bdSeq() {
        return bdSeq;
    }

    /** Verdicts not sent as DDATA because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        long backoffMs = 500;
        while (!closed) {
            try {
                if (!connected) {
                    phase = Phase.CONNECTING;
                    connect();
                    backoffMs = 500;
                }
                if (rebirth.getAndSet(false)) {
                    birthed = false;
                }
                if (primaryHostId != null && !hostOnline) {
                    birthed = false; // the host lost our state with its own: it gets new births when it is back
                    phase = Phase.WAITING_FOR_HOST;
                    TimeUnit.MILLISECONDS.sleep(20);
                    continue;
                }
                long epoch = hostEpoch;
                if (!birthed || (primaryHostId != null && epoch != birthedEpoch)) {
                    births();
                    birthed = true;
                    birthedEpoch = epoch;
                    phase = Phase.ONLINE;
                }
                StationState s = pendingState.getAndSet(null);
                if (s != null) {
                    metrics.state(s);
                    publish(topics.ddata(), payload(metrics.stateOnly(new Date())));
                }
                Inspection i = verdicts.poll(20, TimeUnit.MILLISECONDS);
                if (i != null) {
                    metrics.record(i);
                    publish(topics.ddata(), payload(metrics.verdict(new Date(), dropped.get())));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (MqttException | IOException | SparkplugException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.atWarn().setMessage("sparkplug node connection failed, retrying").addKeyValue("url", Secrets.redact(url))
                        .addKeyValue("error", String.valueOf(e.getMessage())).addKeyValue("retryMs", backoffMs).log();
                dropConnection();
                try {
                    TimeUnit.MILLISECONDS.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** A new session: next bdSeq in the will, then the command and host subscriptions; births follow in the loop. */
    private void connect() throws IOException, MqttException, SparkplugException, InterruptedException {
        long next = bdSeqFile.next();
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true); // Sparkplug 3.0: clean session, no session expiry
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(false); // each reconnect needs a new bdSeq in its will, so this thread reconnects
        o.setKeepAliveInterval(keepAliveS);
        o.setConnectionTimeout(10);
        security.applyTo(o, url); // TLS for ssl://, TCP_NODELAY, user name and password
        o.setWill(topics.ndeath(), new MqttMessage(encoder.getBytes(death(next), false), 1, false, null));
        hostOnline = false;
        birthed = false;
        client.connect(o).waitForCompletion(TIMEOUT_MS);
        bdSeq = next;
        connected = true;
        Done ncmd = new Done();
        client.subscribe(topics.ncmd(), 1, null, ncmd);
        ncmd.await();
        if (primaryHostId != null) {
            Done state = new Done();
            client.subscribe(SparkplugTopics.hostState(primaryHostId), 1, null, state);
            state.await();
        }
        log.atInfo().setMessage("sparkplug node connected").addKeyValue("url", Secrets.redact(url))
                .addKeyValue("edgeNode", topics.groupId() + "/" + topics.edgeNodeId()).addKeyValue("bdSeq", next).log();
    }

    private void births() throws IOException, MqttException, SparkplugException, InterruptedException {
        seq = 0;
        Date now = new Date();
        SparkplugBPayload nbirth = payload(List.of(
                DeviceMetrics.metric(BD_SEQ, MetricDataType.UInt64, BigInteger.valueOf(bdSeq), now),
                DeviceMetrics.metric(REBIRTH, MetricDataType.Boolean, false, now)));
        publish(topics.nbirth(), nbirth);
        publish(topics.dbirth(), payload(metrics.birth(now, dropped.get())));
        log.atInfo().setMessage("sparkplug births published").addKeyValue("bdSeq", bdSeq).log();
    }

    private SparkplugBPayload death(long deathBdSeq) throws SparkplugException {
        Date now = new Date();
        return new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(now)
                .addMetric(DeviceMetrics.metric(BD_SEQ, MetricDataType.UInt64, BigInteger.valueOf(deathBdSeq), now))
                .createPayload();
    }

    /** A payload with the next seq (0–255, wrapping). */
    private SparkplugBPayload payload(List<Metric> m) {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder(seq).setTimestamp(new Date())
                .addMetrics(m).createPayload();
        seq = (seq + 1) & 0xFF;
        return p;
    }

    // Sparkplug publishes births and data at QoS 0; waiting for the write keeps the order and bounds the backlog.
    private void publish(String topic, SparkplugBPayload p) throws IOException, MqttException, InterruptedException {
        Done done = new Done();
        client.publish(topic, encoder.getBytes(p, false), 0, false, null, done);
        done.await();
    }

    /**
     * Completion of one publish or subscribe. Waiting gives up as soon as the connection is lost: Paho may leave the
     * token of a dropped connection pending, and the node must reconnect at once (a host waits for the next NBIRTH).
     */
    private final class Done implements MqttActionListener {
        private final CompletableFuture<@Nullable Void> result = new CompletableFuture<>();

        @Override
        public void onSuccess(IMqttToken token) {
            result.complete(null);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            result.completeExceptionally(e);
        }

        void await() throws MqttException, InterruptedException {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (true) {
                try {
                    result.get(50, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (!connected || System.nanoTime() > until) {
                        throw new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST);
                    }
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof MqttException me ? me
                            : new MqttException(e.getCause());
                }
            }
        }
    }

    private void dropConnection() {
        connected = false;
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            // already gone
        }
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                connected = false;
                if (!closed) {
                    log.atWarn().setMessage("sparkplug node lost the broker").addKeyValue("url", Secrets.redact(url))
                            .addKeyValue("reason", String.valueOf(response.getReasonString())).log();
                }
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                log.atWarn().setMessage("sparkplug MQTT error").addKeyValue("error", e.getMessage()).log();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (topic.equals(topics.ncmd())) {
                    command(message.getPayload());
                } else if (primaryHostId != null && topic.equals(SparkplugTopics.hostState(primaryHostId))) {
                    Boolean online = HostState.online(message.getPayload());
                    if (online == null) {
                        log.atWarn().setMessage("primary host STATE not understood, ignored").addKeyValue("topic", topic).log();
                    } else {
                        log.atInfo().setMessage("primary host state").addKeyValue("host", primaryHostId)
                                .addKeyValue("online", online).log();
                        if (online && !hostOnline) {
                            hostEpoch++; // only this callback thread writes it
                        }
                        hostOnline = online;
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                OutgoingTopicAliases.off(client);
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    private void command(byte[] bytes) {
        try {
            SparkplugBPayload p = new SparkplugBPayloadDecoder().buildFromByteArray(bytes, new MetricDataTypeMap());
            for (Metric m : p.getMetrics()) {
                if (REBIRTH.equals(m.getName()) && Boolean.TRUE.equals(m.getValue())) {
                    log.atInfo().setMessage("rebirth requested by NCMD").log();
                    rebirth.set(true);
                }
            }
        } catch (Exception e) {
            // a malformed command changes nothing
            log.atWarn().setMessage("NCMD not understood, ignored").addKeyValue("error", e.toString()).log();
        }
    }

    /** Publishes NDEATH (a clean disconnect does not fire the will) and disconnects; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.publish(topics.ndeath(), encoder.getBytes(death(bdSeq), false), 1, false).waitForCompletion(2_000);
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException | IOException | SparkplugException e) {
            log.atDebug().setMessage("sparkplug close").addKeyValue("error", String.valueOf(e.getMessage())).log();
        } finally {
            try {
                client.close();
            } catch (MqttException e) {
                // nothing left to release
            }
            phase = Phase.CLOSED;
        }
    }
}
