/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

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
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON forms of a result, shared by the database row and the archive's side-car so both say the same. */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {
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
        ArrayNode a = JSON.createArrayNode();
        for (ShotDetections sd : detections) {
            for (Detection d : sd.detections()) {
                ObjectNode n = a.addObject().put("shot", sd.shot()).put("class", d.className()).put("score", d.score());
                n.putArray("box").add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2());
            }
        }
        return a.toString();
    }

    public static String truth(List<TruthBox> truth) {
        ArrayNode a = JSON.createArrayNode();
        for (TruthBox t : truth) {
            a.addObject().put("label", t.label()).putArray("box").add(t.x1()).add(t.y1()).add(t.x2()).add(t.y2());
        }
        return a.toString();
    }
}
