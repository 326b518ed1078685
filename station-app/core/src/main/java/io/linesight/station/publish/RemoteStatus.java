/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.alarm.AlarmBook;
import io.linesight.station.stats.StationStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The station's state as the remote HMI shows it, on {@code …/hmi/status} (retained, about 1 Hz): what the local
 * HMI reads from the station's getters, in one message.
 *
 * @param online false in the will the broker publishes when the station's HMI link dies
 */
public record RemoteStatus(boolean online, Instant at, StationStats.Snapshot stats, int inFlight,
                           Map<String, String> health, long orphanFrames, long skippedByViewers, String provider,
                           String brokerUrl, boolean brokerConnected, int storePending, String recipe,
                           List<String> recipes, List<AlarmBook.BannerAlarm> alarms, Map<String, String> keeping) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final RemoteStatus NONE = new RemoteStatus(false, Instant.EPOCH,
            new StationStats.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0), 0, Map.of(), 0, 0, "", "", false,
            0, "", List.of(), List.of(), Map.of());

    public RemoteStatus {
        health = Map.copyOf(health);
        recipes = List.copyOf(recipes);
        alarms = List.copyOf(alarms);
        keeping = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keeping));
    }

    /** What the broker publishes for a station whose HMI link died. */
    public static byte[] offline() {
        return "{\"online\":false}".getBytes(StandardCharsets.UTF_8);
    }

    public byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("online", online).put("at", at.toString());
        ObjectNode s = n.putObject("stats").put("parts", stats.parts()).put("pass", stats.passed())
                .put("reject", stats.rejected()).put("late", stats.late()).put("imaged", stats.imaged())
                .put("truthDefective", stats.truthDefective()).put("escapes", stats.escapes())
                .put("overkill", stats.overkill()).put("p50Ms", stats.p50Ms()).put("p99Ms", stats.p99Ms())
                .put("maxMs", stats.maxMs()).put("elapsedS", stats.elapsedS());
        ObjectNode byReason = s.putObject("rejectsByReason");
        stats.rejectsByReason().forEach((k, v) -> byReason.put(k.name(), v));
        n.put("inFlight", inFlight).put("orphanFrames", orphanFrames).put("skippedByViewers", skippedByViewers)
                .put("provider", provider).put("brokerUrl", brokerUrl).put("brokerConnected", brokerConnected)
                .put("storePending", storePending).put("recipe", recipe);
        ObjectNode h = n.putObject("health");
        health.forEach(h::put);
        recipes.forEach(n.putArray("recipes")::add);
        ObjectNode k = n.putObject("keeping");
        keeping.forEach(k::put);
        var a = n.putArray("alarms");
        alarms.forEach(al -> a.addObject().put("text", al.text()).put("id", al.id())
                .put("acknowledgedBy", al.acknowledgedBy()));
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IOException naming what is wrong with the payload */
    public static RemoteStatus decode(byte[] payload) throws IOException {
        JsonNode n = JSON.readTree(payload);
        if (n == null || !n.path("online").asBoolean(false)) {
            return NONE;
        }
        try {
            JsonNode s = n.path("stats");
            Map<ReasonCode, Long> byReason = new EnumMap<>(ReasonCode.class);
            s.path("rejectsByReason").properties().forEach(e -> byReason.put(ReasonCode.valueOf(e.getKey()),
                    e.getValue().asLong()));
            StationStats.Snapshot stats = new StationStats.Snapshot(s.path("parts").asLong(), s.path("pass").asLong(),
                    s.path("reject").asLong(), s.path("late").asLong(), s.path("imaged").asLong(),
                    s.path("truthDefective").asLong(), s.path("escapes").asLong(), s.path("overkill").asLong(), byReason,
                    s.path("p50Ms").asDouble(), s.path("p99Ms").asDouble(), s.path("maxMs").asDouble(),
                    s.path("elapsedS").asDouble());
            Map<String, String> health = new LinkedHashMap<>();
            n.path("health").properties().forEach(e -> health.put(e.getKey(), e.getValue().asText()));
            Map<String, String> keeping = new LinkedHashMap<>();
            n.path("keeping").properties().forEach(e -> keeping.put(e.getKey(), e.getValue().asText()));
            List<String> recipes = new ArrayList<>();
            n.path("recipes").forEach(r -> recipes.add(r.asText()));
            List<AlarmBook.BannerAlarm> alarms = new ArrayList<>();
            n.path("alarms").forEach(al -> alarms.add(new AlarmBook.BannerAlarm(al.path("text").asText(),
                    al.path("id").asLong(), al.path("acknowledgedBy").isTextual() ? al.get("acknowledgedBy").asText() : null)));
            return new RemoteStatus(true, Instant.parse(n.path("at").asText()), stats, n.path("inFlight").asInt(),
                    health, n.path("orphanFrames").asLong(), n.path("skippedByViewers").asLong(),
                    n.path("provider").asText(), n.path("brokerUrl").asText(), n.path("brokerConnected").asBoolean(),
                    n.path("storePending").asInt(), n.path("recipe").asText(), recipes, alarms, keeping);
        } catch (RuntimeException e) {
            throw new IOException("hmi/status payload: " + e, e);
        }
    }
}
