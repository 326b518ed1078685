/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.inference.api.Detection;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.result.AnomalyJson;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import io.linesight.station.result.ResultJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The latest part as the remote HMI needs it, on {@code …/hmi/part}: id, seq, recipe, verdict with reasons, per-rule
 * results with measured values and overlay geometry (frame pixels), detections per shot (class, score, box), and
 * stage timings. Decoding gives back an {@link Inspection} the screens draw as they draw a local one (ground truth
 * and nanosecond clocks stay on the station).
 */
public final class PartJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PartJson() {
    }

    /** The result's one document ({@link ResultJson#summary}) and what the screens draw: rules, detections, anomalies. */
    public static byte[] encode(Inspection i) {
        ObjectNode n = ResultJson.summary(i);
        ArrayNode rules = n.putArray("rules");
        for (RuleResult r : i.rules()) {
            ObjectNode rn = rules.addObject().put("rule", r.rule()).put("shot", r.shot()).put("pass", r.pass())
                    .put("code", r.code().name()).put("detail", r.detail()).put("nanos", r.nanos());
            ArrayNode values = rn.putArray("values");
            for (Measurement m : r.measurements()) {
                ObjectNode v = values.addObject().put("name", m.name()).put("value", m.value()).put("unit", m.unit());
                v.put("min", m.min());
                v.put("max", m.max());
            }
            rn.set("overlays", ResultJson.overlays(r.overlays()));
        }
        n.set("detections", ResultJson.detectionsNode(i.detections()));
        n.set("anomalies", AnomalyJson.write(i.anomalies())); // the remote screens draw the heat map from it
        Timings t = i.timings();
        n.putObject("timings").put("acquireNanos", t.acquireNanos()).put("queueNanos", t.queueNanos())
                .put("rulesNanos", t.rulesNanos()).put("modelNanos", t.modelNanos()).put("totalNanos", t.totalNanos())
                .put("anomalyNanos", t.anomalyNanos());
        return n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @throws IOException naming the field when the payload is not a part this version understands
     */
    public static Inspection decode(byte[] payload) throws IOException {
        JsonNode n = JSON.readTree(payload);
        try {
            List<Reason> reasons = new ArrayList<>();
            n.path("details").forEach(r -> reasons.add(new Reason(ReasonCode.valueOf(r.get("code").asText()),
                    r.get("source").asText(), r.path("detail").asText())));
            Verdict verdict = "PASS".equals(text(n, "result")) ? new Verdict.Pass(Map.of()) : new Verdict.Reject(reasons);
            List<RuleResult> rules = new ArrayList<>();
            for (JsonNode r : n.path("rules")) {
                List<Measurement> values = new ArrayList<>();
                r.path("values").forEach(v -> values.add(new Measurement(v.get("name").asText(), v.get("value").asDouble(),
                        v.path("unit").asText(), v.path("min").isNumber() ? v.get("min").asDouble() : null,
                        v.path("max").isNumber() ? v.get("max").asDouble() : null)));
                List<Overlay> overlays = ResultJson.readOverlays(r.path("overlays"),
                        "part " + text(n, "partId") + ": rules[].overlays");
                rules.add(new RuleResult(r.get("rule").asText(), r.get("shot").asText(), r.get("pass").asBoolean(),
                        ReasonCode.valueOf(r.get("code").asText()), r.path("detail").asText(), values, overlays,
                        r.path("nanos").asLong()));
            }
            List<ShotDetections> detections = ResultJson.readDetections(n.path("detections"));
            JsonNode t = n.path("timings");
            Timings timings = new Timings(t.path("acquireNanos").asLong(), t.path("queueNanos").asLong(),
                    t.path("rulesNanos").asLong(), t.path("modelNanos").asLong(), t.path("totalNanos").asLong(),
                    t.path("anomalyNanos").asLong());
            Part part = new Part(text(n, "partId"), 0, Instant.parse(text(n, "triggeredAt")), 0);
            String recipe = new ResultJson.RecipeLabel(text(n, "recipe"),
                    n.path("recipeVersion").isInt() ? n.get("recipeVersion").asInt() : null).label();
            return new Inspection(part, n.path("seq").asLong(), recipe, n.path("model").asText(), verdict,
                    rules, detections, List.of(), Instant.parse(text(n, "decidedAt")), timings, null, null,
                    AnomalyJson.read(n.path("anomalies")));
        } catch (RuntimeException e) {
            throw new IOException("hmi/part payload: " + e, e);
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IOException("hmi/part payload: field '" + field + "' missing");
        }
        return v.asText();
    }
}
