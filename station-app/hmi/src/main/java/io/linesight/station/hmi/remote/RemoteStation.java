/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.remote;

import io.linesight.station.publish.HmiTopics;
import io.linesight.station.publish.PartJson;
import io.linesight.station.publish.RemoteStatus;
import io.linesight.station.control.CommandException;
import io.linesight.station.plc.OutgoingTopicAliases;
import io.linesight.station.plc.PubAckCodes;
import io.linesight.station.secrets.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.station.alarm.AlarmBook;
import io.linesight.station.hmi.HmiFeed;
import io.linesight.station.hmi.ShotImage;
import io.linesight.station.hmi.StationView;
import io.linesight.station.result.Inspection;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.ResultsStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;
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
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A headless station seen through the broker: what {@link HmiPublisher} publishes feeds the HMI's screens, and
 * change-over and counter reset go through the station's own {@code cmd/recipe} and {@code cmd/reset} with an MQTT 5
 * reply. Closing it (or this process dying) leaves the station running: it only ever subscribes and commands.
 *
 * <p>Messages arrive on Paho's callback thread, the one writer of the attached {@link HmiFeed}; the FX thread reads
 * the last status through one volatile field. Statistics and the audit trail need the results database
 * ({@code --store}); without it they say so.
 */
public final class RemoteStation implements StationView, MqttCallback {
    private static final Logger log = LoggerFactory.getLogger(RemoteStation.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long COMMAND_TIMEOUT_S = 60; // a change-over loads the model before it replies
    /** How long a command waits for the link's subscriptions and for the broker to take it. */
    static final long SUBSCRIBE_TIMEOUT_S = 10;

    private final HmiTopics topics;
    private final String brokerUrl;
    private final MqttAsyncClient client;
    private final @Nullable ResultsStore store;
    private final String identity;
    private final String replyTopic;
    private volatile @Nullable String token;
    private final List<HmiFeed> feeds = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    // callback thread only
    private final Map<String, ShotImage> images = new HashMap<>();
    private volatile RemoteStatus status = RemoteStatus.NONE;
    private volatile boolean linkUp;
    /**
     * Completed once the broker confirmed this link's subscriptions (the reply topic among them); a fresh one for
     * every connection. A command waits for it: published before the reply topic is subscribed, its reply would be
     * dropped by the broker and the command would wait out its whole timeout.
     */
    private volatile CompletableFuture<Void> subscribed = new CompletableFuture<>();

    private RemoteStation(HmiTopics topics, String brokerUrl, MqttAsyncClient client, @Nullable ResultsStore store,
                          String identity) {
        this.topics = topics;
        this.brokerUrl = brokerUrl;
        this.client = client;
        this.store = store;
        this.identity = identity;
        this.replyTopic = topics.reply(identity) + "/" + client.getClientId();
    }

    /** {@link #connect(String, BrokerSecurity, String, String, ResultsStore)} on a plain broker (no user, no TLS files). */
    public static RemoteStation connect(String brokerUrl, String line, String station, @Nullable ResultsStore store)
            throws IOException {
        return connect(brokerUrl, BrokerSecurity.NONE, line, station, store);
    }

    /**
     * Connects to the broker and subscribes to the station's HMI topics; waits up to 10 s for the connection and up
     * to 10 s more for the broker to confirm the subscriptions, so that every part the station publishes after this
     * returns reaches the view (a part published before the subscription is in place is never delivered to it).
     *
     * @param security TLS files for {@code ssl://} and the user name and password, as the station's PLC link has them
     * @param store    the station's results database for statistics and the audit trail, or null
     * @throws IOException naming the broker when it cannot be reached, and saying so when it refuses the user name or
     *                     password or the TLS handshake fails
     */
    public static RemoteStation connect(String brokerUrl, BrokerSecurity security, String line, String station,
                                        @Nullable ResultsStore store) throws IOException {
        HmiTopics topics = new HmiTopics(line, station);
        MqttConnectionOptions o = new MqttConnectionOptions();
        try {
            security.applyTo(o, brokerUrl);
        } catch (IOException e) {
            throw new IOException("remote HMI: " + e.getMessage(), e);
        }
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 5);
        o.setCleanStart(true);
        o.setConnectionTimeout(10);
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(brokerUrl, "linesight-hmi-view-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException(Secrets.redact("remote HMI: broker URL " + brokerUrl + ": " + e.getMessage()), e);
        }
        // the broker identity names this HMI's command and reply topics; the broker's ACL keeps other HMIs out of them
        String identity = security.username() != null ? security.username() : "anonymous";
        RemoteStation r = new RemoteStation(topics, brokerUrl, client, store, identity);
        client.setCallback(r);
        try {
            client.connect(o).waitForCompletion(10_000);
        } catch (MqttException e) {
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // refused already; nothing to release beyond what close tried
            }
            throw new IOException("remote HMI: cannot connect: " + BrokerSecurity.explain(e, brokerUrl), e);
        }
        r.awaitSubscriptions();
        return r;
    }

    /**
     * Waits for the first connection's subscriptions. A refusal or a slow broker does not fail the view: it shows
     * what arrives, and a command says why it cannot be sent.
     */
    private void awaitSubscriptions() {
        try {
            subscribed.get(SUBSCRIBE_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.atWarn().setMessage("remote HMI: the broker did not confirm its subscriptions; parts may be missed")
                    .addKeyValue("broker", Secrets.redact(brokerUrl))
                    .addKeyValue("error", e instanceof ExecutionException ? e.getCause().getMessage() : "timed out")
                    .log();
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        OutgoingTopicAliases.off(client);
        linkUp = true;
        CompletableFuture<Void> done = subscribed.isDone() ? new CompletableFuture<>() : subscribed;
        subscribed = done;
        try {
            client.subscribe(new String[] {topics.status(), topics.part(), topics.images(), replyTopic},
                    new int[] {0, 0, 0, 1}, null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken t) {
                            int[] codes = t.getReasonCodes();
                            int reply = codes == null || codes.length < 4 ? 0 : codes[3];
                            if (reply >= 0x80) {
                                done.completeExceptionally(new IOException("the broker refused this HMI's reply topic "
                                        + replyTopic + " (reason code 0x" + Integer.toHexString(reply) + ")"));
                            } else {
                                done.complete(null);
                            }
                        }

                        @Override
                        public void onFailure(IMqttToken t, Throwable e) {
                            done.completeExceptionally(e);
                        }
                    });
        } catch (MqttException e) {
            done.completeExceptionally(e);
            log.atError().setMessage("remote HMI cannot subscribe").addKeyValue("error", e.getMessage()).log();
        }
        log.atInfo().setMessage(reconnect ? "remote HMI reconnected" : "remote HMI connected")
                .addKeyValue("broker", Secrets.redact(serverURI)).addKeyValue("station", topics.base()).log();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        linkUp = false;
        if (subscribed.isDone()) {
            subscribed = new CompletableFuture<>(); // commands wait for the next connection's subscriptions
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        log.atWarn().setMessage("remote HMI link error").addKeyValue("error", exception.getMessage()).log();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        try {
            if (topic.equals(topics.status())) {
                status = RemoteStatus.decode(message.getPayload());
            } else if (topic.equals(topics.part())) {
                Inspection part = PartJson.decode(message.getPayload());
                Map<String, ShotImage> shots = Map.copyOf(images);
                feeds.forEach(f -> f.onRemotePart(part, shots));
            } else if (topic.startsWith(topics.base() + "hmi/image/")) {
                String shot = topic.substring((topics.base() + "hmi/image/").length());
                images.put(shot, image(shot, message));
                Map<String, ShotImage> shots = Map.copyOf(images);
                feeds.forEach(f -> f.onRemoteImages(shots));
            } else if (topic.equals(replyTopic)) {
                byte[] corr = message.getProperties().getCorrelationData();
                CompletableFuture<JsonNode> f = corr == null ? null
                        : waiting.remove(new String(corr, StandardCharsets.UTF_8));
                if (f != null) {
                    f.complete(JSON.readTree(message.getPayload()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // a bad message is dropped and logged; the view keeps what it had
            log.atWarn().setMessage("remote HMI message not understood").addKeyValue("topic", topic)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    private static ShotImage image(String shot, MqttMessage m) throws IOException {
        Map<String, String> props = new HashMap<>();
        List<UserProperty> user = m.getProperties().getUserProperties();
        if (user != null) {
            user.forEach(u -> props.put(u.getKey(), u.getValue()));
        }
        BufferedImage bi = ImageIO.read(new ByteArrayInputStream(m.getPayload()));
        if (bi == null) {
            throw new IOException("hmi/image/" + shot + ": not a PNG");
        }
        int w = bi.getWidth();
        int h = bi.getHeight();
        byte[] grey = new byte[w * h];
        bi.getRaster().getDataElements(0, 0, w, h, grey);
        return new ShotImage(shot, props.getOrDefault("partId", "?"), w, h, grey,
                Integer.parseInt(props.getOrDefault("frameWidth", Integer.toString(w))),
                Integer.parseInt(props.getOrDefault("frameHeight", Integer.toString(h))));
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    /** Sends a command and waits for the station's reply; throws its error when it refused. */
    private JsonNode command(String name, String json) throws CommandException {
        String corr = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        waiting.put(corr, reply);
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(replyTopic);
        props.setCorrelationData(corr.getBytes(StandardCharsets.UTF_8));
        try {
            try {
                subscribed.get(SUBSCRIBE_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new CommandException("not connected to the station's replies within " + SUBSCRIBE_TIMEOUT_S
                        + " s (broker " + Secrets.redact(brokerUrl) + ")");
            } catch (ExecutionException e) {
                throw new CommandException(Secrets.redact("broker " + brokerUrl + ": cannot subscribe to the station's "
                        + "replies: " + e.getCause().getMessage()));
            }
            IMqttToken sent = client.publish(topics.command(identity, name),
                    new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, props));
            sent.waitForCompletion(SUBSCRIBE_TIMEOUT_S * 1000);
            int[] codes = sent.getReasonCodes();
            if (codes != null && codes.length > 0 && PubAckCodes.refused(codes[0])) {
                // a refused command reaches no station: say so now rather than wait out the reply's timeout
                throw new CommandException("the broker refused the command " + name + " ("
                        + PubAckCodes.describe(codes[0]) + "): this HMI's broker user may not command station "
                        + topics.base());
            }
            JsonNode r = reply.get(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
            if (!r.path("ok").asBoolean()) {
                throw new CommandException(r.path("error").asText("refused"));
            }
            return r;
        } catch (MqttException e) {
            throw new CommandException(Secrets.redact("broker " + brokerUrl + ": " + e.getMessage()));
        } catch (TimeoutException e) {
            throw new CommandException("no reply from the station within " + COMMAND_TIMEOUT_S + " s");
        } catch (ExecutionException e) {
            throw new CommandException(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while waiting for the station's reply");
        } finally {
            waiting.remove(corr);
        }
    }

    /**
     * Logs in at the station: it checks the PIN against its own users and returns a short-lived token that this view
     * then sends with every command (a change-over or reset without one is refused by the station). Blocks for the
     * reply; the PIN array is cleared.
     *
     * @return the role the station granted
     * @throws CommandException the station's reason (wrong user or PIN, locked out, not an engineer)
     */
    @Override
    public String logIn(String user, char[] pin) throws CommandException {
        try {
            JsonNode r = command("login", JSON.createObjectNode().put("user", user).put("pin", new String(pin)).toString());
            token = r.path("token").asText(null);
            return r.path("role").asText();
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    /** Forgets the station's token: commands need a new login. */
    @Override
    public void logOut() {
        token = null;
    }

    @Override
    public String changeRecipe(String name, boolean force) throws CommandException {
        JsonNode r = command("recipe", withToken().put("recipe", name).put("force", force).toString());
        return r.path("recipe").asText(name);
    }

    @Override
    public void resetCounters() throws CommandException {
        command("reset", withToken().toString());
    }

    private com.fasterxml.jackson.databind.node.ObjectNode withToken() {
        com.fasterxml.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
        String t = token;
        if (t != null) {
            n.put("token", t);
        }
        return n;
    }

    /** The last status received (NONE before the first, or after the station's HMI link died). */
    public RemoteStatus status() {
        return status;
    }

    /** Whether this view's own broker connection is up. */
    public boolean linkUp() {
        return linkUp;
    }

    @Override
    public String line() {
        return topics.line();
    }

    @Override
    public String station() {
        return topics.station();
    }

    @Override
    public StationStats.Snapshot stats() {
        return status.stats();
    }

    @Override
    public boolean brokerConnected() {
        return status.online() && status.brokerConnected();
    }

    @Override
    public String brokerUrl() {
        return Secrets.redact(status.online() ? status.brokerUrl() : brokerUrl);
    }

    @Override
    public Map<String, String> deviceHealth() {
        return status.health();
    }

    @Override
    public long orphanFrames() {
        return status.orphanFrames();
    }

    @Override
    public String executionProvider() {
        return status.provider();
    }

    @Override
    public int inFlight() {
        return status.inFlight();
    }

    @Override
    public int storePending() {
        return status.storePending();
    }

    @Override
    public Map<String, String> keeping() {
        return status.keeping();
    }

    @Override
    public long skippedByViewers() {
        return status.skippedByViewers();
    }

    @Override
    public String recipeLabel() {
        return status.online() ? status.recipe() : "(station not seen)";
    }

    @Override
    public List<String> recipeNames() {
        return status.recipes();
    }

    @Override
    public void attach(HmiFeed feed) {
        feeds.add(feed);
    }

    @Override
    public void detach(HmiFeed feed) {
        feeds.remove(feed);
    }

    @Override
    public List<AlarmBook.BannerAlarm> alarms(long nowNanos) {
        RemoteStatus s = status;
        if (!linkUp) {
            return List.of(new AlarmBook.BannerAlarm("HMI LINK DOWN — broker " + Secrets.redact(brokerUrl) + " not reachable", 0, null));
        }
        if (!s.online()) {
            return List.of(new AlarmBook.BannerAlarm("STATION NOT SEEN — no status from " + topics.base(), 0, null));
        }
        return s.alarms();
    }

    @Override
    public void alarmsChanged() {
        // the station re-reads the store once a second and says so in its next status
    }

    @Override
    public @Nullable ResultsStore store() {
        return store;
    }

    @Override
    public @Nullable Local local() {
        return null;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(1000);
            }
            client.close(true);
        } catch (MqttException e) {
            log.atDebug().setMessage("remote HMI did not disconnect cleanly").addKeyValue("error", e.getMessage()).log();
        }
        if (store != null) {
            store.close();
        }
    }
}
