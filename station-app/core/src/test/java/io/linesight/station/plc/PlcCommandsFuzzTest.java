/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.station.BrokerConfig;
import io.linesight.station.control.CommandException;
import io.linesight.station.control.StationControl;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttToken;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * The PLC's command payloads on any bytes, through {@link PlcCommands#offer} as the MQTT client delivers them, with
 * the station behind it recording what the commands did to it. The contract:
 *
 * <ul>
 *   <li>{@code offer} returns (it runs on the MQTT client's thread: a throw there would drop the connection);</li>
 *   <li>every command gets exactly one reply, on the request's response topic or {@code reply/<command>}, carrying its
 *       correlation data; the only command answered by silence is a trigger the station took without being asked
 *       for a reply;</li>
 *   <li>a reply with {@code ok: false} has a non-blank error of one line (no control characters), at most 1,024
 *       characters, and the station was not touched (the station's own refusals, a repeated part id or an unknown
 *       recipe, are made before anything changes);</li>
 *   <li>a reply with {@code ok: true} did exactly what the command says, once.</li>
 * </ul>
 *
 * <p>Input format (so that seeds can be written by hand): the first line is the command (the topic after
 * {@code cmd/}); then optional lines {@code R:<response topic>} and {@code C:<correlation data>}; the rest is the
 * payload. Topics a broker would never deliver (wildcards, NUL, empty levels beyond MQTT's rules) are skipped.
 *
 * <p>Seeds: {@code src/test/resources/io/linesight/station/plc/PlcCommandsFuzzTestInputs/command/}; a finding lands
 * there too and is replayed by every build. How to fuzz: docs/RELIABILITY.md.
 */
class PlcCommandsFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topics TOPICS = new Topics("l1", "s1");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Recorder STATION = new Recorder();
    private static final FakeClient CLIENT = FakeClient.create();
    private static final PlcCommands COMMANDS = commands();

    /** What the station was asked to do, as it happened. */
    static final class Recorder implements StationControl {
        final List<String> changes = new ArrayList<>();

        @Override
        public synchronized void triggerPart(String partId, @Nullable Instant firedAt) throws CommandException {
            if (partId.startsWith("dup")) {
                // the real station refuses a repeated id, echoing it
                throw new CommandException("part " + partId + " was already triggered");
            }
            changes.add("trigger " + partId);
        }

        @Override
        public synchronized String changeRecipe(@Nullable String name, @Nullable String productCode, boolean force)
                throws CommandException {
            if ("bracket".equals(name) || (name == null && "P-100".equals(productCode))) {
                changes.add("recipe bracket");
                return "bracket@1";
            }
            // like the recipe store: the name as given, unescaped
            throw new CommandException("no recipe '" + name + "' for product '" + productCode + "'");
        }

        @Override
        public synchronized void startLine() {
            changes.add("start");
        }

        @Override
        public synchronized void stopLine() {
            changes.add("stop");
        }

        @Override
        public synchronized void reset() {
            changes.add("reset");
        }

        synchronized List<String> take() {
            List<String> out = List.copyOf(changes);
            changes.clear();
            return out;
        }
    }

    record Published(String topic, MqttMessage message) {
    }

    /** A Paho client that is "connected" and keeps what is published, validating topics as Paho does. */
    static final class FakeClient extends MqttAsyncClient {
        final BlockingQueue<Published> published = new LinkedBlockingQueue<>();

        private FakeClient() throws MqttException {
            super("tcp://127.0.0.1:1", "fuzz", new MemoryPersistence());
        }

        static FakeClient create() {
            try {
                return new FakeClient();
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public IMqttToken subscribe(String topicFilter, int qos) {
            return new MqttToken("fuzz") {
                @Override
                public void waitForCompletion(long timeout) {
                }
            };
        }

        @Override
        public IMqttToken publish(String topic, MqttMessage message) {
            MqttTopicValidator.validate(topic, false, false);
            published.add(new Published(topic, message));
            return new MqttToken("fuzz");
        }
    }

    private static PlcCommands commands() {
        BrokerConfig config = new BrokerConfig("embedded", 1883, null, null, null, null, null, null, 5,
                BrokerConfig.Payload.JSON, 100_000, 64, true, true, 65_536, 1_000);
        PlcCommands c = new PlcCommands(TOPICS, STATION, config);
        c.subscribe(CLIENT);
        return c;
    }

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    // no control characters in entries: Jazzer writes them unescaped into libFuzzer's line-based dictionary file
    @DictionaryEntries({"trigger", "recipe", "start", "stop", "reset", "R:", "C:", "{\"partId\": \"",
        "\"firedAt\": ", "\"recipe\": \"bracket\"", "\"productCode\": \"P-100\"", "\"force\": true",
        "\"correlationId\": ", "dup", "2026-11-22T10:15:02.113Z", "1e308", "null", "\\n", "\\u0000"})
    @FuzzTest(maxDuration = "5m")
    void command(byte[] input) throws Exception {
        Request r = Request.parse(input);
        if (r == null) {
            return;
        }
        assertThat(CLIENT.published).as("no reply left over from the input before").isEmpty();
        STATION.take();

        COMMANDS.offer(TOPICS.command(r.name()), r.message());

        Published reply = r.name().equals("trigger") ? CLIENT.published.poll()
                : CLIENT.published.poll(8, TimeUnit.SECONDS);
        List<String> changes = STATION.take();
        if (reply == null) {
            assertThat(r.name()).as("only a trigger may go unanswered").isEqualTo("trigger");
            assertThat(changes).as("an unanswered trigger is one the station took").hasSize(1)
                    .allMatch(c -> c.startsWith("trigger "));
            return;
        }
        assertThat(CLIENT.published).as("one reply per command").isEmpty();
        // replies go only inside the station's subtree; a request naming another place is refused (docs/PLC.md)
        boolean replyInside = r.responseTopic() != null && r.responseTopic().startsWith(TOPICS.base() + "/")
                && r.responseTopic().chars().noneMatch(c -> c == '+' || c == '#' || c == 0) && !r.responseTopic().contains("/../");
        String expectedTopic = replyInside ? r.responseTopic()
                : TOPICS.reply(r.name().isEmpty() || r.name().contains("/") ? "unknown" : r.name().length() <= 64 ? r.name()
                        : r.name().substring(0, 64) + "…");
        assertThat(reply.topic()).isEqualTo(expectedTopic);
        byte[] correlation = reply.message().getProperties().getCorrelationData();
        assertThat(correlation == null ? null : Arrays.toString(correlation))
                .as("correlation data echoed").isEqualTo(r.correlation() == null ? null : Arrays.toString(r.correlation()));

        JsonNode body = JSON.readTree(reply.message().getPayload());
        assertThat(body.path("ok").isBoolean()).as("reply %s has ok", body).isTrue();
        if (r.responseTopic() != null && !replyInside) {
            assertThat(body.path("ok").asBoolean()).as("a reply asked outside the station: %s", body).isFalse();
        }
        if (!body.get("ok").asBoolean()) {
            String error = body.path("error").asText("");
            assertThat(error).as("the error of %s", body).isNotBlank().hasSizeLessThanOrEqualTo(1024);
            assertThat(CONTROL.matcher(error).find()).as("one line, no control characters: %s", error).isFalse();
            assertThat(changes).as("a refused command changes nothing").isEmpty();
            return;
        }
        String expected = switch (r.name()) {
            case "trigger" -> "trigger " + body.path("partId").asText();
            case "recipe" -> "recipe bracket";
            default -> r.name();
        };
        assertThat(changes).as("an accepted %s does exactly that, once", r.name()).containsExactly(expected);
    }

    /** One delivered command, decoded from the fuzzer's bytes; null for what a broker could never deliver. */
    record Request(String name, @Nullable String responseTopic, byte @Nullable [] correlation, byte[] payload) {
        static @Nullable Request parse(byte[] input) {
            int nl = indexOf(input, 0);
            String name = new String(input, 0, nl < 0 ? input.length : nl, StandardCharsets.UTF_8);
            int at = nl < 0 ? input.length : nl + 1;
            String response = null;
            byte[] correlation = null;
            for (int k = 0; k < 2 && at + 2 <= input.length && input[at + 1] == ':'; k++) {
                int end = indexOf(input, at + 2);
                byte[] value = Arrays.copyOfRange(input, at + 2, end < 0 ? input.length : end);
                if (input[at] == 'R' && response == null) {
                    response = new String(value, StandardCharsets.UTF_8);
                } else if (input[at] == 'C' && correlation == null) {
                    correlation = value;
                } else {
                    break;
                }
                at = end < 0 ? input.length : end + 1;
            }
            if (!deliverable(TOPICS.command(name)) || (response != null && !deliverable(response))) {
                return null;
            }
            return new Request(name, response, correlation, Arrays.copyOfRange(input, at, input.length));
        }

        MqttMessage message() {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(responseTopic);
            p.setCorrelationData(correlation);
            return new MqttMessage(payload, 1, false, p);
        }

        private static int indexOf(byte[] b, int from) {
            for (int k = from; k < b.length; k++) {
                if (b[k] == '\n') {
                    return k;
                }
            }
            return -1;
        }

        /** A topic name a broker accepts in a PUBLISH (MQTT 5, 4.7): no wildcards, no NUL, UTF-8 that round-trips. */
        private static boolean deliverable(String topic) {
            if (topic.isEmpty() || topic.indexOf('\0') >= 0 || topic.indexOf('\uFFFD') >= 0) {
                return false;
            }
            try {
                MqttTopicValidator.validate(topic, false, false);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
