/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.config.station.BrokerConfig;
import io.linesight.station.control.CommandException;
import io.linesight.station.control.StationControl;
import io.linesight.station.plc.trust.CommandTrust;
import io.linesight.station.plc.trust.CommandTrust.Admission;
import io.linesight.station.plc.trust.CommandTrust.Channel;
import io.linesight.station.plc.trust.CommandTrust.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC's commands: {@code cmd/trigger}, {@code cmd/recipe}, {@code cmd/start}, {@code cmd/stop}, {@code cmd/reset}
 * (docs/PLC.md). Replies go to the request's MQTT 5 response topic with its correlation data, or for 3.1.1 clients to
 * {@code reply/<command>} with the request's {@code correlationId} echoed in the JSON body.
 *
 * <p>Triggers are handled on the MQTT client's thread (they only open a ticket and queue the part: no blocking);
 * everything else waits in a bounded queue for the "plc-commands" thread, so a flood of commands can neither stall
 * inspection nor grow memory: past the bound, commands are refused with a "busy" reply and counted. A payload over
 * {@code maxCommandBytes} is refused unread. A malformed or unknown command is answered with an error naming the
 * problem, and changes nothing.
 *
 * <p>Remote HMIs command through {@code hmi/cmd/<identity>/<command>}. Who may do what, the audit trail and where
 * replies may go are {@link CommandTrust}'s: a command it refuses is answered with the reason and changes nothing.
 */
public final class PlcCommands implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlcCommands.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PART_ID = Pattern.compile("[A-Za-z0-9_.:/-]{1,64}");
    /** Longest error text in a reply, in characters. */
    static final int MAX_ERROR = 1024;
    private static final List<String> KNOWN = List.of("trigger", "recipe", "start", "stop", "reset");

    private record Request(String name, MqttMessage message, Origin origin) {
    }

    private final Topics topics;
    private final StationControl station;
    private final CommandTrust trust;
    private final int maxBytes;
    private final BlockingQueue<Request> queue;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final Thread worker;
    private volatile @Nullable MqttAsyncClient client;
    private volatile boolean running = true;

    /** Commands without an audit trail and without remote HMI commands (a station without a results store). */
    public PlcCommands(Topics topics, StationControl station, BrokerConfig config) {
        this(topics, station, config, new CommandTrust(topics, null, null));
    }

    public PlcCommands(Topics topics, StationControl station, BrokerConfig config, CommandTrust trust) {
        this.topics = topics;
        this.station = station;
        this.trust = trust;
        this.maxBytes = config.maxCommandBytes();
        this.queue = new ArrayBlockingQueue<>(config.commandQueue());
        this.worker = Thread.ofPlatform().name("plc-commands").daemon(true).unstarted(this::loop);
        this.worker.start();
    }

    /** Subscribes {@code cmd/#} and waits (up to 5 s) for the broker to confirm (at connect and after each reconnect). */
    void subscribe(MqttAsyncClient c) {
        this.client = c;
        try {
            c.subscribe(new String[] {topics.command("#"), topics.hmiCommand("+", "#")}, new int[] {1, 1})
                    .waitForCompletion(5_000);
        } catch (MqttException e) {
            log.atError().setMessage("cannot subscribe to commands").addKeyValue("error", e.getMessage()).log();
        }
    }

    /** Called on the MQTT client's thread for every message on {@code cmd/…} and {@code hmi/cmd/…}. Never blocks. */
    void offer(String topic, MqttMessage message) {
        String prefix = topics.command("");
        String hmiPrefix = topics.hmiCommand("", "");
        hmiPrefix = hmiPrefix.substring(0, hmiPrefix.length() - 1);
        String name;
        Origin origin;
        if (topic.startsWith(prefix)) {
            name = topic.substring(prefix.length());
            origin = new Origin(Channel.PLC, "plc", claimedSender(message));
        } else if (topic.startsWith(hmiPrefix) && topic.indexOf('/', hmiPrefix.length()) > hmiPrefix.length()) {
            int slash = topic.indexOf('/', hmiPrefix.length());
            name = topic.substring(slash + 1);
            origin = new Origin(Channel.HMI, topic.substring(hmiPrefix.length(), slash), claimedSender(message));
        } else {
            return;
        }
        if (message.getPayload().length > maxBytes) {
            refused.incrementAndGet();
            reply(name, message, origin, false, "payload of " + message.getPayload().length + " bytes exceeds " + maxBytes, null);
            return;
        }
        if (name.equals("trigger") && origin.channel() == Channel.PLC) {
            handleSafely(name, message, origin);
            return;
        }
        if (!running || !queue.offer(new Request(name, message, origin))) {
            refused.incrementAndGet();
            reply(name, message, origin, false, "busy: " + queue.size() + " commands waiting", null);
        }
    }

    /** The sender a message names (MQTT 5 user property {@code sender}); the JSON {@code "sender"} is read later. */
    private static @Nullable String claimedSender(MqttMessage m) {
        MqttProperties p = m.getProperties();
        if (p == null || p.getUserProperties() == null) {
            return null;
        }
        for (UserProperty u : p.getUserProperties()) {
            if (u.getKey().equals("sender")) {
                return u.getValue();
            }
        }
        return null;
    }

    private void loop() {
        while (running) {
            try {
                Request r = queue.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    handleSafely(r.name(), r.message(), r.origin());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Handles a command; whatever it throws (errors too) is answered to the sender, and the thread goes on. */
    private void handleSafely(String name, MqttMessage message, Origin origin) {
        try {
            handle(name, message, origin);
        } catch (Throwable t) {
            refused.incrementAndGet();
            log.atError().setMessage("command failed").addKeyValue("command", abbreviate(name)).setCause(t).log();
            try {
                reply(name, message, origin, false, "the station failed to handle the command: " + t, null);
            } catch (Throwable replyFailed) {
                log.atError().setMessage("command failure could not be answered").addKeyValue("error", replyFailed.toString()).log();
            }
        }
    }

    private void handle(String name, MqttMessage message, Origin claimed) {
        handled.incrementAndGet();
        String text = new String(message.getPayload(), StandardCharsets.UTF_8).strip();
        JsonNode body = null;
        Origin origin = claimed;
        String jsonError = null;
        if (text.startsWith("{")) {
            try {
                body = JSON.readTree(text);
                String sender = text(body, "sender");
                if (sender != null && origin.claimedSender() == null) {
                    origin = new Origin(origin.channel(), origin.identity(), sender);
                }
            } catch (Exception e) {
                jsonError = "payload is not valid JSON: " + firstLine(e.getMessage());
            }
        }
        // the PLC's triggers are the hot path: recorded as verdicts, not audited one by one (CommandTrust)
        String who = null;
        if (name.equals("trigger") && origin.channel() == Channel.PLC) {
            MqttProperties p = message.getProperties();
            String rt = p == null ? null : p.getResponseTopic();
            if (rt != null && !trust.replyTopicAllowed(origin, rt)) {
                refuse(name, message, origin, null, "response topic '" + abbreviate(rt) + "' is outside "
                        + topics.base() + "/");
                return;
            }
        } else {
            who = admit(name, message, origin, body);
            if (who == null) {
                return;
            }
        }
        if (jsonError != null) {
            refuse(name, message, origin, who, jsonError);
            return;
        }
        try {
            switch (name) {
                case "trigger" -> {
                    String partId = body != null ? text(body, "partId") : text;
                    if (partId == null || !PART_ID.matcher(partId).matches()) {
                        throw new CommandException("partId " + (partId == null || partId.isEmpty() ? "is missing"
                                : "'" + abbreviate(partId) + "' must be 1..64 of A-Z a-z 0-9 _ . : / -"));
                    }
                    station.triggerPart(partId, body != null ? firedAt(body) : null);
                    if (wantsReply(message, body)) {
                        reply(name, message, origin, true, null, JSON.createObjectNode().put("partId", partId));
                    }
                }
                case "recipe" -> {
                    if (body == null) {
                        throw new CommandException("payload must be JSON: {\"recipe\": \"name\"} or {\"productCode\": \"…\"}"
                                + ", optionally \"force\": true");
                    }
                    String recipe = text(body, "recipe");
                    String product = text(body, "productCode");
                    if (recipe == null && product == null) {
                        throw new CommandException("give \"recipe\" or \"productCode\"");
                    }
                    boolean force = body.path("force").asBoolean(false);
                    String label = station.changeRecipe(recipe, product, force);
                    done(name, origin, who, "recipe " + label + (force ? " (forced)" : ""));
                    reply(name, message, origin, true, null, JSON.createObjectNode().put("recipe", label));
                }
                case "start" -> {
                    station.startLine();
                    done(name, origin, who, "line started");
                    reply(name, message, origin, true, null, null);
                }
                case "stop" -> {
                    station.stopLine();
                    done(name, origin, who, "line stopped");
                    reply(name, message, origin, true, null, null);
                }
                case "reset" -> {
                    station.reset();
                    done(name, origin, who, "counters reset");
                    reply(name, message, origin, true, null, null);
                }
                default -> throw new CommandException("unknown command '" + abbreviate(name) + "' (known: "
                        + String.join(", ", KNOWN) + ")");
            }
        } catch (CommandException e) {
            refuse(name, message, origin, who, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Lets {@link CommandTrust} audit the command and decide; answers a refusal or a login itself. Returns who the
     * command is done for, or null when it was answered already.
     */
    private @Nullable String admit(String name, MqttMessage message, Origin origin, @Nullable JsonNode body) {
        MqttProperties p = message.getProperties();
        String responseTopic = p == null ? null : p.getResponseTopic();
        CommandTrust.@Nullable Login login = null;
        String user = body == null ? null : text(body, "user");
        String pin = body == null ? null : text(body, "pin");
        if (name.equals("login") && user != null && pin != null) {
            login = new CommandTrust.Login(user, pin.toCharArray());
        }
        Admission a = trust.admit(origin, name, body == null ? null : text(body, "token"), responseTopic, login);
        return switch (a) {
            case Admission.Allowed allowed -> allowed.who();
            case Admission.Refused r -> {
                refused.incrementAndGet();
                reply(name, message, origin, false, r.reason(), null);
                yield null;
            }
            case Admission.LoggedIn in -> {
                reply(name, message, origin, true, null, JSON.createObjectNode().put("token", in.token())
                        .put("user", in.user()).put("role", in.role()).put("expiresAt", in.expiresAt()));
                yield null;
            }
        };
    }

    private void done(String name, Origin origin, @Nullable String who, String outcome) {
        if (who != null) {
            trust.outcome(origin, who, name, "done: " + outcome);
        }
    }

    private void refuse(String name, MqttMessage message, Origin origin, @Nullable String who, String reason) {
        refused.incrementAndGet();
        if (who != null) {
            trust.outcome(origin, who, name, "refused: " + reason);
        }
        reply(name, message, origin, false, reason, null);
    }

    /** {@code firedAt}: an ISO-8601 instant or epoch milliseconds; absent for none. */
    private static @Nullable Instant firedAt(JsonNode body) throws CommandException {
        JsonNode n = body.get("firedAt");
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            return n.isNumber() ? Instant.ofEpochSecond(0, Math.round(n.asDouble() * 1e6)) : Instant.parse(n.asText());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new CommandException("firedAt '" + abbreviate(n.asText()) + "' must be an ISO-8601 instant "
                    + "(2026-11-22T10:15:02.113Z) or epoch milliseconds");
        }
    }

    private static boolean wantsReply(MqttMessage m, @Nullable JsonNode body) {
        MqttProperties p = m.getProperties();
        return (p != null && p.getResponseTopic() != null) || (body != null && body.has("correlationId"));
    }

    private static @Nullable String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * Answers to the request's response topic when {@link CommandTrust#replyTopicAllowed} allows it, else to the
     * station's own {@code reply/<command>} (an HMI's: {@code hmi/reply/<identity>}).
     */
    private void reply(String name, MqttMessage request, Origin origin, boolean ok, @Nullable String error,
                       @Nullable ObjectNode extra) {
        MqttAsyncClient c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        ObjectNode body = extra != null ? extra : JSON.createObjectNode();
        body.put("command", abbreviate(name));
        body.put("ok", ok);
        if (error != null) {
            body.put("error", oneLine(error));
        }
        MqttProperties reqProps = request.getProperties();
        String safeName = name.isEmpty() || name.contains("/") || name.contains("+") || name.contains("#")
                ? "unknown" : abbreviate(name);
        String topic = origin.channel() == Channel.HMI ? topics.hmiReply(origin.identity()) : topics.reply(safeName);
        MqttProperties props = new MqttProperties();
        if (reqProps != null && reqProps.getResponseTopic() != null && trust.replyTopicAllowed(origin, reqProps.getResponseTopic())) {
            topic = reqProps.getResponseTopic();
        }
        if (reqProps != null && reqProps.getCorrelationData() != null) {
            props.setCorrelationData(reqProps.getCorrelationData());
        }
        String text = new String(request.getPayload(), StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try {
                JsonNode req = JSON.readTree(text);
                if (req.has("correlationId")) {
                    body.set("correlationId", req.get("correlationId"));
                }
            } catch (Exception ignored) {
                // malformed requests are answered without an id
            }
        }
        MqttMessage m = new MqttMessage(body.toString().getBytes(StandardCharsets.UTF_8), 1, false, props);
        try {
            c.publish(topic, m);
        } catch (MqttException e) {
            log.atWarn().setMessage("reply not sent").addKeyValue("command", name).addKeyValue("error", e.getMessage()).log();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    /**
     * An error as one line of at most {@link #MAX_ERROR} characters: part ids, recipe names and exception texts come
     * from the request or from deep inside the station, and a PLC or a log shows the reply's error as one line.
     */
    static String oneLine(String error) {
        StringBuilder b = new StringBuilder(Math.min(error.length(), MAX_ERROR) + 16);
        int k = 0;
        for (; k < error.length() && b.length() < MAX_ERROR; k++) {
            char c = error.charAt(k);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        b.append("\\u%04x".formatted((int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (k < error.length() || b.length() > MAX_ERROR) {
            b.setLength(Math.min(b.length(), MAX_ERROR - 1));
            b.append('…');
        }
        return b.toString();
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public long refused() {
        return refused.get();
    }

    public long handled() {
        return handled.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            worker.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
