/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import io.linesight.station.secrets.Secrets;
import io.linesight.config.station.BrokerConfig;
import io.linesight.station.result.Inspection;
import io.linesight.station.realtime.RealtimeScheduling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.TimerPingSender;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC link over MQTT 5 (Eclipse Paho): verdicts at QoS 1, retained state with the will OFFLINE, heartbeat each
 * second, commands subscribed on the same connection.
 *
 * <p><b>Nothing lost, and delivery that knows.</b> {@link #publish} numbers the verdict and hands it to the
 * {@link VerdictJournal} (memory first, then disk); the "plc-sender" thread publishes in seq order as fast as the
 * broker's in-flight window allows. A verdict leaves the journal only on a PUBACK whose reason code says the broker
 * took it: a refusal (0x80 and above, e.g. 0x87 not authorized, 0x97 quota exceeded) keeps it, counts it, puts the
 * link in FAULT and re-sends it with backoff; "no matching subscribers" (0x10) is delivered as far as MQTT goes but
 * raises "PLC not listening". After a reconnect or a restart every unacknowledged verdict is sent again, in order,
 * flagged {@code "resent":true}; the PLC de-duplicates on (partId, seq).
 *
 * <p><b>Supervised.</b> The sender survives any Throwable (counted, reported, retried); the "plc-journal" thread
 * maintains the journal off the publish path, starts a new sender if the old one died, and tells the client to
 * reconnect when it has stayed down longer than a whole automatic reconnect attempt ({@link ReconnectWatchdog}: Paho's
 * own cycle can stop for good). {@link #health()} reports
 * liveness, the age of the oldest unacknowledged verdict and every fault, for the heartbeat and the state topic.
 *
 * <p><b>Bounded.</b> Unacknowledged verdicts are bounded in bytes ({@code broker.journalMaxMb}); at the bound
 * {@link #acceptingParts()} turns false and the station refuses triggers (state FAULT) instead of growing.
 *
 * <p><b>Latency.</b> Sockets have TCP_NODELAY (Paho leaves Nagle on: ~40 ms per QoS 1 round trip otherwise); the
 * sender and Paho's own threads run under real-time scheduling where the station may have it.
 */
public final class MqttPlcLink implements PlcLink {
    private static final Logger log = LoggerFactory.getLogger(MqttPlcLink.class);
    private static final int QOS = 1;
    private static final long SENDER_STALL_NANOS = 2_000_000_000L;
    private static final long MAX_RETRY_NANOS = 10_000_000_000L;

    private final MqttAsyncClient client;
    private final ScheduledExecutorService mqttThreads;
    private final MqttConnectionOptions options;
    private final Topics topics;
    private final BrokerConfig.Payload payload;
    private final String url;
    private final VerdictJournal journal;
    private final AtomicLong seq;
    private final Object publishLock = new Object();
    /** Seqs to hand to the client now, in order. */
    private final ConcurrentSkipListSet<Long> ready = new ConcurrentSkipListSet<>();
    /** Refused seqs by the nanoTime of their next try. */
    private final ConcurrentSkipListMap<Long, Long> retryAt = new ConcurrentSkipListMap<>();
    private final Map<Long, Integer> refusals = new ConcurrentHashMap<>();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<Long> attempted = ConcurrentHashMap.newKeySet();
    /** Deadline of each verdict not yet handed over, to count hand-overs past the deadline. */
    private final Map<Long, Long> deadlines = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handedOverLate = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong senderRestarts = new AtomicLong();
    private final ReconnectWatchdog reconnectWatchdog = new ReconnectWatchdog(ReconnectWatchdog.DEFAULT_PATIENCE);
    private final AtomicLong watchdogReconnects = new AtomicLong();
    private final ScheduledExecutorService maintenance;
    private volatile Thread sender;
    private volatile long senderBeatNanos = System.nanoTime();
    private volatile @Nullable String senderError;
    private volatile long lastAcceptedNanos;
    private volatile long lastRefusedNanos;
    private volatile @Nullable String lastRefusal;
    private volatile long lastSubscribedNanos;
    private volatile long lastNoSubscribersNanos;
    /** OFFLINE until the station says it runs: a PLC must not see ONLINE while recipe and devices are still loading. */
    private volatile StationState lastState = StationState.OFFLINE;
    private volatile @Nullable PlcCommands commands;
    private volatile boolean everConnected;
    private volatile boolean closed;
    /** Test seam: called on the sender thread before each publish; what it throws, the sender must survive. */
    volatile java.util.function.@Nullable LongConsumer beforeSend;

    /**
     * Opens the journal and starts connecting. Returns at once when the first connection succeeds within a few
     * seconds; a broker that is down at start is retried with backoff while verdicts wait in the journal.
     *
     * @param storeLastSeq the last seq in the results store; seq continues after the larger of it and the journal's
     * @param journalFile  where unacknowledged verdicts are kept
     */
    public static MqttPlcLink connect(String url, BrokerConfig config, Topics topics, long storeLastSeq,
                                      @Nullable Path configDir, Path journalFile) throws IOException {
        String clientId = config.clientId() != null ? config.clientId() : "linesight-" + topics.line() + "-" + topics.station();
        VerdictJournal journal = VerdictJournal.open(journalFile, config.journalCapacity(),
                (long) config.journalMaxMb() << 20, config.journalSync());
        // Paho runs its sender, receiver and callback loops on this pool: the threads that put a TIMEOUT on the wire
        ScheduledExecutorService mqttThreads = new ScheduledThreadPoolExecutor(10, RealtimeScheduling.threadFactory("mqtt-plc"));
        try {
            MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence(),
                    new TimerPingSender(mqttThreads), mqttThreads);
            MqttPlcLink link = new MqttPlcLink(client, mqttThreads, options(url, config, topics, configDir), topics,
                    config.payload(), url, journal, Math.max(journal.lastSeq(), storeLastSeq) + 1);
            link.start();
            return link;
        } catch (MqttException | IOException | RuntimeException e) {
            journal.close();
            mqttThreads.shutdownNow();
            throw e instanceof IOException io ? io : new IOException(Secrets.redact("MQTT client for " + url + ": " + e.getMessage()), e);
        }
    }

    private static MqttConnectionOptions options(String url, BrokerConfig config, Topics topics, @Nullable Path configDir)
            throws IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 10);
        o.setKeepAliveInterval(config.keepAliveS());
        o.setConnectionTimeout(10);
        o.setCleanStart(true);
        BrokerSecurity.of(config, configDir).applyTo(o, url);
        o.setWill(topics.state(), new MqttMessage(StationState.OFFLINE.name().getBytes(StandardCharsets.US_ASCII), QOS, true, null));
        return o;
    }

    private MqttPlcLink(MqttAsyncClient client, ScheduledExecutorService mqttThreads, MqttConnectionOptions options,
                        Topics topics, BrokerConfig.Payload payload, String url, VerdictJournal journal, long firstSeq) {
        this.client = client;
        this.mqttThreads = mqttThreads;
        this.options = options;
        this.topics = topics;
        this.payload = payload;
        this.url = url;
        this.journal = journal;
        this.seq = new AtomicLong(firstSeq - 1);
        this.sender = newSender();
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("plc-journal")
                .daemon(true).unstarted(r));
    }

    private Thread newSender() {
        Thread t = RealtimeScheduling.threadFactory("plc-sender").newThread(this::sendLoop);
        t.setName("plc-sender");
        return t;
    }

    private void start() {
        client.setCallback(callback());
        // everything still in the journal was sent by an earlier run: it goes out again flagged as re-sent
        for (VerdictJournal.Entry e : journal.unacked()) {
            attempted.add(e.seq());
            ready.add(e.seq());
        }
        if (journal.size() > 0) {
            log.atWarn().setMessage("verdicts from before the restart will be re-sent").addKeyValue("count", journal.size()).log();
        }
        senderBeatNanos = System.nanoTime();
        sender.start();
        maintenance.scheduleWithFixedDelay(this::maintain, 100, 100, TimeUnit.MILLISECONDS);
        long until = System.nanoTime() + 5_000_000_000L;
        connectOnce();
        while (!client.isConnected() && System.nanoTime() < until) {
            LockSupport.parkNanos(10_000_000L);
        }
        if (!client.isConnected()) {
            log.atError().setMessage("PLC link cannot reach the broker yet; retrying, verdicts are kept in the journal")
                    .addKeyValue("url", Secrets.redact(url)).log();
        }
    }

    /** The first connection; Paho reconnects by itself only after one succeeded, so until then we retry here. */
    private void connectOnce() {
        if (closed || everConnected) {
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    log.atWarn().setMessage("broker connection failed, retrying").addKeyValue("url", Secrets.redact(url))
                            .addKeyValue("error", String.valueOf(e.getMessage())).log();
                    Thread.ofVirtual().start(() -> {
                        LockSupport.parkNanos(2_000_000_000L);
                        connectOnce();
                    });
                }
            });
        } catch (MqttException e) {
            log.atWarn().setMessage("broker connection failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    /**
     * Numbers, journals and queues a verdict. The seq is only taken once the payload is encoded, so a verdict that
     * cannot be encoded leaves no gap. A journal write failure does not stop it: it is kept in memory and sent.
     */
    @Override
    public Inspection publish(Inspection inspection) {
        Inspection numbered;
        synchronized (publishLock) {
            numbered = inspection.withSeq(seq.get() + 1);
            VerdictJournal.Entry e = new VerdictJournal.Entry(numbered.seq(), topics.verdict(),
                    VerdictPayload.encode(numbered, payload, false));
            seq.set(numbered.seq());
            try {
                journal.append(e);
            } catch (IOException ex) {
                // kept in memory by the journal; health() reports the failure and the station goes to FAULT
            }
            deadlines.put(e.seq(), numbered.part().deadlineNanos());
            ready.add(e.seq());
        }
        LockSupport.unpark(sender);
        return numbered;
    }

    /** Whether the station may take another part: false once unacknowledged verdicts reach the byte bound. */
    public boolean acceptingParts() {
        return !journal.overLimit();
    }

    private void sendLoop() {
        while (!closed) {
            senderBeatNanos = System.nanoTime();
            try {
                if (!sendNext()) {
                    LockSupport.parkNanos(ready.isEmpty() ? 50_000_000L : 5_000_000L);
                }
            } catch (Throwable t) {
                // the sender must outlive anything one verdict can do to it: count, report, go on
                senderError = t.toString();
                log.atError().setMessage("PLC sender error; continuing").setCause(t).log();
                LockSupport.parkNanos(100_000_000L);
            }
        }
    }

    /** Hands the next verdict to the client; false when there was nothing to do now. */
    private boolean sendNext() {
        moveDueRetries();
        Long next = ready.isEmpty() ? null : ready.first();
        if (next == null || !client.isConnected()) {
            return false;
        }
        long s = next;
        if (s > journal.durableSeq() && journal.failure() == null) {
            journal.sync(); // journaled on the device before it is published; one fsync for all waiting
        }
        VerdictJournal.Entry e = journal.get(s);
        if (e == null || inFlight.contains(s)) {
            ready.remove(s); // acknowledged meanwhile, or already on its way
            return true;
        }
        java.util.function.LongConsumer hook = beforeSend;
        if (hook != null) {
            hook.accept(s);
        }
        boolean again = attempted.contains(s);
        MqttMessage m = new MqttMessage(again ? VerdictPayload.asResent(e.payload()) : e.payload(), QOS, false, null);
        try {
            inFlight.add(s);
            attempted.add(s);
            client.publish(e.topic(), m, e, ackListener);
        } catch (MqttException ex) {
            inFlight.remove(s);
            if (!again) {
                attempted.remove(s);
            }
            if (ex.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                LockSupport.parkNanos(500_000L); // the broker's window is full: wait for PUBACKs
            } else {
                log.atDebug().setMessage("publish deferred").addKeyValue("seq", s).addKeyValue("code", ex.getReasonCode()).log();
                LockSupport.parkNanos(20_000_000L);
            }
            return true;
        }
        ready.remove(s);
        sent.incrementAndGet();
        if (again) {
            resent.incrementAndGet();
        }
        Long deadline = deadlines.remove(s);
        if (deadline != null && System.nanoTime() - deadline > 0) {
            handedOverLate.incrementAndGet();
        }
        return true;
    }

    private void moveDueRetries() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Long> r : retryAt.entrySet()) {
            if (now - r.getValue() >= 0 && retryAt.remove(r.getKey(), r.getValue())) {
                ready.add(r.getKey());
            }
        }
    }

    private final MqttActionListener ackListener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            if (token.getUserContext() instanceof VerdictJournal.Entry e) {
                delivered(e, reasonCode(token));
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable t) {
            if (token.getUserContext() instanceof VerdictJournal.Entry e) {
                int code = reasonCode(token);
                if (PubAckCodes.refused(code)) {
                    delivered(e, code);
                    return;
                }
                // connection lost before the PUBACK: stays in the journal; re-sent after the reconnect
                inFlight.remove(e.seq());
                log.atDebug().setMessage("verdict not acknowledged, will be re-sent").addKeyValue("seq", e.seq())
                        .addKeyValue("error", String.valueOf(t)).log();
            }
        }
    };

    private static int reasonCode(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** A PUBACK arrived (Paho's callback thread): memory only, never waits for a disk. */
    private void delivered(VerdictJournal.Entry e, int code) {
        long now = System.nanoTime();
        if (PubAckCodes.refused(code)) {
            refused.incrementAndGet();
            String what = PubAckCodes.describe(code);
            boolean firstOfRun = lastRefusedNanos == 0 || lastRefusedNanos - lastAcceptedNanos <= 0;
            boolean newReason = !what.equals(lastRefusal);
            // the reason before the time: whoever reads health() and sees "refusing" finds its reason already there
            lastRefusal = what;
            lastRefusedNanos = now;
            if (firstOfRun || newReason) {
                log.atError().setMessage("broker refused a verdict; kept and re-sent").addKeyValue("seq", e.seq())
                        .addKeyValue("reason", what).log();
            }
            int n = refusals.merge(e.seq(), 1, Integer::sum);
            long backoff = Math.min(MAX_RETRY_NANOS, 500_000_000L << Math.min(n - 1, 5));
            retryAt.put(e.seq(), now + backoff);
            inFlight.remove(e.seq());
            return;
        }
        if (code == PubAckCodes.NO_MATCHING_SUBSCRIBERS) {
            if (lastNoSubscribersNanos - lastSubscribedNanos <= 0) {
                log.atWarn().setMessage("PLC not listening: the broker has no subscriber for verdicts")
                        .addKeyValue("topic", e.topic()).log();
            }
            lastNoSubscribersNanos = now;
        } else {
            lastSubscribedNanos = now;
        }
        lastAcceptedNanos = now;
        acked.incrementAndGet();
        journal.ack(e.seq());
        inFlight.remove(e.seq());
        attempted.remove(e.seq());
        refusals.remove(e.seq());
        deadlines.remove(e.seq());
    }

    /** The journal thread: acks to disk, compaction, a new sender if the old one is gone, a reconnect if overdue. */
    private void maintain() {
        try {
            journal.maintain();
            if (!closed && everConnected && reconnectWatchdog.due(client.isConnected(), System.nanoTime())) {
                kickReconnect();
            }
            if (!closed && !sender.isAlive()) {
                senderRestarts.incrementAndGet();
                log.atError().setMessage("PLC sender thread was gone; started a new one").addKeyValue("error", senderError).log();
                Thread t = newSender();
                senderBeatNanos = System.nanoTime();
                sender = t;
                t.start();
            }
        } catch (Throwable t) {
            log.atError().setMessage("PLC journal maintenance failed").setCause(t).log();
        }
    }

    /** The client stayed down past a whole reconnect attempt: its own cycle may have ended, so start one. */
    private void kickReconnect() {
        watchdogReconnects.incrementAndGet();
        log.atWarn().setMessage("PLC link still down after a whole reconnect attempt; reconnecting")
                .addKeyValue("url", Secrets.redact(url)).addKeyValue("unacked", journal.size()).log();
        try {
            client.reconnect();
        } catch (MqttException e) {
            // an attempt is under way after all (connecting) or the client is closing: nothing to add
            log.atDebug().setMessage("reconnect not started").addKeyValue("code", e.getReasonCode()).log();
        }
    }

    /** How long the client may stay down before {@link #kickReconnect}; tests shorten it. */
    void reconnectPatience(Duration patience) {
        reconnectWatchdog.patience(patience);
    }

    /** How many times the link had to start a reconnect itself. */
    public long watchdogReconnects() {
        return watchdogReconnects.get();
    }

    /** Puts every unacknowledged verdict back in line, in seq order (after a reconnect). */
    private void requeueUnacked() {
        inFlight.clear();
        retryAt.clear();
        for (VerdictJournal.Entry e : journal.unackedFrom(Long.MIN_VALUE)) {
            ready.add(e.seq());
        }
        LockSupport.unpark(sender);
    }

    /** Publishes a heartbeat payload (not retained, QoS 0). */
    public void heartbeat(Supplier<String> json) {
        publishQuietly(topics.heartbeat(), json.get(), 0, false);
    }

    /** Publishes the retained status document (why the state is what it is). */
    public void status(String json) {
        publishQuietly(topics.status(), json, QOS, true);
    }

    private void publishQuietly(String topic, String body, int qos, boolean retained) {
        if (client.isConnected()) {
            try {
                client.publish(topic, body.getBytes(StandardCharsets.UTF_8), qos, retained);
            } catch (MqttException e) {
                log.atDebug().setMessage("not published").addKeyValue("topic", topic).addKeyValue("error", e.getMessage()).log();
            }
        }
    }

    @Override
    public void state(StationState state) {
        lastState = state;
        if (client.isConnected()) {
            try {
                client.publish(topics.state(), state.name().getBytes(StandardCharsets.US_ASCII), QOS, true);
            } catch (MqttException e) {
                log.atWarn().setMessage("state not published").addKeyValue("state", state).addKeyValue("error", e.getMessage()).log();
            }
        }
    }

    public StationState lastState() {
        return lastState;
    }

    /** Subscribes the station's command topics on this connection (again after every reconnect). */
    public void attach(PlcCommands handler) {
        this.commands = handler;
        if (client.isConnected()) {
            handler.subscribe(client);
        }
    }

    @Override
    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public String brokerUrl() {
        return url;
    }

    /** Everything the station reports about delivery. */
    public LinkHealth health() {
        long now = System.nanoTime();
        VerdictJournal.Entry oldest = journal.oldest();
        VerdictJournal.Quarantine q = journal.quarantine();
        boolean refusing = lastRefusedNanos != 0 && lastRefusedNanos - lastAcceptedNanos > 0;
        boolean listening = lastNoSubscribersNanos == 0 || lastSubscribedNanos - lastNoSubscribersNanos > 0;
        boolean senderAlive = sender.isAlive() && now - senderBeatNanos < SENDER_STALL_NANOS;
        return new LinkHealth(client.isConnected(), senderAlive, senderRestarts.get(), senderError, journal.size(),
                journal.bytes(), oldest == null ? 0 : (now - oldest.journaledNanos()) / 1_000_000, refused.get(), lastRefusal,
                refusing, listening, journal.failure(),
                q == null ? null : q.bytes() + " bytes quarantined to " + q.file().getFileName() + " (" + q.reason() + ")",
                acceptingParts(), handedOverLate.get());
    }

    public long sentCount() {
        return sent.get();
    }

    public long ackedCount() {
        return acked.get();
    }

    public long resentCount() {
        return resent.get();
    }

    public long refusedCount() {
        return refused.get();
    }

    public long disconnects() {
        return disconnects.get();
    }

    /** Verdicts not yet acknowledged by the broker. */
    public int unacked() {
        return journal.size();
    }

    public boolean journalFull() {
        return journal.full();
    }

    public long lastSeq() {
        return seq.get();
    }

    /** For tests: the sender thread now. */
    Thread senderThread() {
        return sender;
    }

    private MqttCallback callback() {
        return new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnects.incrementAndGet();
                log.atWarn().setMessage("PLC link lost the broker").addKeyValue("url", Secrets.redact(url))
                        .addKeyValue("reason", String.valueOf(response.getReasonString())).log();
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                log.atWarn().setMessage("MQTT error").addKeyValue("error", e.getMessage()).log();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                PlcCommands c = commands;
                if (c != null) {
                    c.offer(topic, message);
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                OutgoingTopicAliases.off(client);
                // not Paho's `reconnect`: it is false for a connection Paho did not start itself (the watchdog's)
                boolean again = everConnected;
                everConnected = true;
                log.atInfo().setMessage(again ? "PLC link reconnected" : "PLC link connected").addKeyValue("url", Secrets.redact(serverURI)).log();
                // Runs on Paho's thread: resubscribe and publish state from another thread so this one returns at once.
                // Subscribed first: ONLINE must not reach the PLC before the station hears its triggers again.
                Thread.ofVirtual().name("plc-connected").start(() -> {
                    PlcCommands c = commands;
                    if (c != null) {
                        c.subscribe(client);
                    }
                    state(lastState);
                    if (again) {
                        requeueUnacked();
                    }
                });
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        };
    }

    public MqttAsyncClient client() {
        return client;
    }

    /** Waits (up to 3 s) for queued verdicts to be acknowledged, publishes OFFLINE and disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        long until = System.nanoTime() + 3_000_000_000L;
        while (client.isConnected() && journal.size() > 0 && !health().refusing() && System.nanoTime() < until) {
            LockSupport.parkNanos(5_000_000L);
        }
        closed = true;
        LockSupport.unpark(sender);
        maintenance.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(topics.state(), StationState.OFFLINE.name().getBytes(StandardCharsets.US_ASCII), QOS, true)
                        .waitForCompletion(2000);
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            log.atWarn().setMessage("PLC link did not close cleanly").addKeyValue("error", e.getMessage()).log();
        } finally {
            journal.close();
            mqttThreads.shutdownNow();
        }
    }
}
