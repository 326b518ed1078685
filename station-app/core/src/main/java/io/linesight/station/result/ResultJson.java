/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.camera.api.TruthBox;
import io.linesight.inference.api.Detection;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON forms of a result. {@link #summary} is the one document of a part's result: the PLC's verdict message, the
 * results store's {@code document} column and the remote HMI's part payload are all built on it, so a field added
 * there reaches all three. The other methods write the parts the database row and the archive's side-car share.
 */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {
    }

    /**
     * The result of a part as every consumer sees it: {@code partId, seq, result (PASS|REJECT), reasons (codes),
     * details ([{code, source, detail}]), recipe (name), recipeVersion (when the label has one), model, triggeredAt,
     * decidedAt, deadlineAt, latencyMs (three decimals), imagedPart (simulators only)}. Fields are only ever added,
     * never renamed or removed: a PLC reads them by name (docs/PLC.md).
     */
    public static ObjectNode summary(Inspection i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("partId", i.part().partId());
        n.put("seq", i.seq());
        n.put("result", i.verdict().passed() ? "PASS" : "REJECT");
        ArrayNode codes = n.putArray("reasons");
        ArrayNode details = n.putArray("details");
        for (Reason r : i.verdict().reasons()) {
            codes.add(r.code().name());
            details.addObject().put("code", r.code().name()).put("source", r.source()).put("detail", r.detail());
        }
        RecipeLabel label = RecipeLabel.of(i.recipe());
        n.put("recipe", label.name());
        if (label.version() != null) {
            n.put("recipeVersion", label.version());
        }
        n.put("model", i.model());
        n.put("triggeredAt", i.part().triggeredAt().toString());
        n.put("decidedAt", i.decidedAt().toString());
        n.put("deadlineAt", i.part().deadlineAt().toString());
        n.put("latencyMs", Math.round(i.latencyMs() * 1000) / 1000.0);
        if (i.imagedPart() != null) {
            n.put("imagedPart", i.imagedPart()); // simulators only: lets a test PLC prove the frames were this part's
        }
        return n;
    }

    /** A recipe label {@code name@version} taken apart; a label without a numeric version is all name. */
    public record RecipeLabel(String name, @Nullable Integer version) {
        public static RecipeLabel of(String label) {
            int at = label.lastIndexOf('@');
            if (at > 0) {
                try {
                    return new RecipeLabel(label.substring(0, at), Integer.parseInt(label.substring(at + 1)));
                } catch (NumberFormatException e) {
                    return new RecipeLabel(label, null);
                }
            }
            return new RecipeLabel(label, null);
        }

        /** The label again: {@code name@version}, or the name alone. */
        public String label() {
            return version == null ? name : name + "@" + version;
        }
    }

    public static String reasons(List<Reason> reasons) {
        ArrayNode a = JSON.createArrayNode();
        for (Reason r : reasons) {
            a.addObject().put("code", r.code().name()).put("source", r.source()).put("detail", r.detail());
        }
        return a.toString();
    }

    public static @Nullable String verdict(@Nullable Verdict v) {
        if (v == null) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("result", v.passed() ? "PASS" : "REJECT");
        n.set("reasons", JSON.valueToTree(v.reasons().stream().map(Reason::toString).toList()));
        return n.toString();
    }

    public static String measurements(List<RuleResult> rules) {
        ArrayNode a = JSON.createArrayNode();
        for (RuleResult r : rules) {
            ObjectNode n = a.addObject();
            n.put("rule", r.rule()).put("shot", r.shot()).put("pass", r.pass());
            if (!r.pass()) {
                n.put("code", r.code().name()).put("detail", r.detail());
            }
            ArrayNode values = n.putArray("values");
            for (Measurement m : r.measurements()) {
                ObjectNode v = values.addObject().put("name", m.name()).put("value", m.value()).put("unit", m.unit());
                if (m.min() != null) {
                    v.put("min", m.min());
                }
                if (m.max() != null) {
                    v.put("max", m.max());
                }
            }
        }
        return a.toString();
    }

    public static String detections(List<ShotDetections> detections) {
        return detectionsNode(detections).toString();
    }

    /** Detections as {@code [{shot, class, classId, score, box: [x1, y1, x2, y2]}]}, frame pixels. */
    public static ArrayNode detectionsNode(List<ShotDetections> detections) {
        ArrayNode a = JSON.createArrayNode();
        for (ShotDetections sd : detections) {
            for (Detection d : sd.detections()) {
                ObjectNode n = a.addObject().put("shot", sd.shot()).put("class", d.className())
                        .put("classId", d.classId()).put("score", d.score());
                n.putArray("box").add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2());
            }
        }
        return a;
    }

    /** The detections {@link #detectionsNode} wrote, per shot in the order met. */
    public static List<ShotDetections> readDetections(JsonNode array) {
        Map<String, List<Detection>> byShot = new LinkedHashMap<>();
        for (JsonNode d : array) {
            JsonNode b = d.path("box");
            byShot.computeIfAbsent(d.path("shot").asText(), k -> new ArrayList<>()).add(new Detection(
                    (float) b.path(0).asDouble(), (float) b.path(1).asDouble(), (float) b.path(2).asDouble(),
                    (float) b.path(3).asDouble(), d.path("classId").asInt(), d.path("class").asText(),
                    (float) d.path("score").asDouble()));
        }
        List<ShotDetections> out = new ArrayList<>();
        byShot.forEach((shot, list) -> out.add(new ShotDetections(shot, list)));
        return out;
    }

    /**
     * Overlay geometry (frame pixels) as {@code [{type: box|circle|line|polygon, pass, label, …}]}: box {@code x y w h},
     * circle {@code cx cy r}, line {@code x1 y1 x2 y2}, polygon {@code points: [x0, y0, x1, y1, …]}.
     */
    public static ArrayNode overlays(List<Overlay> overlays) {
        ArrayNode a = JSON.createArrayNode();
        for (Overlay o : overlays) {
            ObjectNode on = a.addObject().put("pass", o.pass()).put("label", o.label());
            switch (o) {
                case Overlay.Box b -> on.put("type", "box").put("x", b.x()).put("y", b.y()).put("w", b.width())
                        .put("h", b.height());
                case Overlay.Circle c -> on.put("type", "circle").put("cx", c.cx()).put("cy", c.cy()).put("r", c.radius());
                case Overlay.Line l -> on.put("type", "line").put("x1", l.x1()).put("y1", l.y1()).put("x2", l.x2())
                        .put("y2", l.y2());
                case Overlay.Polygon p -> {
                    on.put("type", "polygon");
                    ArrayNode pts = on.putArray("points");
                    p.points().forEach(pts::add);
                }
            }
        }
        return a;
    }

    /**
     * The overlays {@link #overlays(List)} wrote.
     *
     * @param where names the array in the error, e.g. {@code images[0].overlays}
     * @throws IOException naming the entry whose type is unknown
     */
    public static List<Overlay> readOverlays(JsonNode array, String where) throws IOException {
        List<Overlay> out = new ArrayList<>();
        int k = 0;
        for (JsonNode o : array) {
            boolean pass = o.path("pass").asBoolean();
            String label = o.path("label").asText();
            out.add(switch (o.path("type").asText()) {
                case "box" -> new Overlay.Box(num(o, "x"), num(o, "y"), num(o, "w"), num(o, "h"), pass, label);
                case "circle" -> new Overlay.Circle(num(o, "cx"), num(o, "cy"), num(o, "r"), pass, label);
                case "line" -> new Overlay.Line(num(o, "x1"), num(o, "y1"), num(o, "x2"), num(o, "y2"), pass, label);
                case "polygon" -> {
                    List<Double> pts = new ArrayList<>();
                    o.path("points").forEach(p -> pts.add(p.asDouble()));
                    yield new Overlay.Polygon(pts, pass, label);
                }
                default -> throw new IOException(where + "[" + k + "].type: '" + o.path("type").asText()
                        + "' is not box, circle, line or polygon");
            });
            k++;
        }
        return out;
    }

    private static double num(JsonNode o, String field) {
        return o.path(field).asDouble();
    }

    public static String truth(List<TruthBox> truth) {
        ArrayNode a = JSON.createArrayNode();
        for (TruthBox t : truth) {
            a.addObject().put("label", t.label()).putArray("box").add(t.x1()).add(t.y1()).add(t.x2()).add(t.y2());
        }
        return a.toString();
    }
}
