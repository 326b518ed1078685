/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.config.station.BrokerConfig;
import io.linesight.rules.judge.Reason;
import io.linesight.station.result.Inspection;
import java.nio.charset.StandardCharsets;

/**
 * Verdict messages as the PLC reads them (docs/PLC.md).
 * <ul>
 * <li>JSON: {@code {"partId","seq","result":"PASS|REJECT","reasons":[codes],"details":[…],"recipe","recipeVersion",
 * "triggeredAt","decidedAt","deadlineAt","latencyMs","resent"}}</li>
 * <li>compact: {@code partId;seq;0|1;reasonNumber} — 0 pass / 1 reject, and the primary reason's number (0 on pass)</li>
 * </ul>
 */
public final class VerdictPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerdictPayload() {
    }

    public static byte[] encode(Inspection i, BrokerConfig.Payload format, boolean resent) {
        return switch (format) {
            case COMPACT -> compact(i).getBytes(StandardCharsets.US_ASCII);
            case JSON -> json(i, resent).toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    /**
     * The same verdict as sent again (after a reconnect or a restart): a JSON payload gets its {@code resent} field
     * set to true; the compact form has no such field (the PLC de-duplicates on partId and seq), so it is returned as
     * it is, as is anything that is not a JSON object. The journal keeps each verdict as first encoded; this is the
     * one place that turns it into the resent form.
     */
    public static byte[] asResent(byte[] payload) {
        if (payload.length == 0 || payload[0] != '{') {
            return payload; // compact
        }
        try {
            if (JSON.readTree(payload) instanceof ObjectNode n) {
                n.put("resent", true);
                return JSON.writeValueAsBytes(n);
            }
            return payload;
        } catch (java.io.IOException e) {
            return payload; // not JSON after all: sent as journaled
        }
    }

    public static String compact(Inspection i) {
        return i.part().partId() + ";" + i.seq() + ";" + (i.verdict().passed() ? 0 : 1) + ";" + i.verdict().primaryCode().number();
    }

    public static ObjectNode json(Inspection i, boolean resent) {
        ObjectNode n = JSON.createObjectNode();
        n.put("partId", i.part().partId());
        n.put("seq", i.seq());
        n.put("result", i.verdict().passed() ? "PASS" : "REJECT");
        ArrayNode codes = n.putArray("reasons");
        ArrayNode details = n.putArray("details");
        for (Reason r : i.verdict().reasons()) {
            codes.add(r.code().name());
            ObjectNode d = details.addObject();
            d.put("code", r.code().name());
            d.put("source", r.source());
            d.put("detail", r.detail());
        }
        int at = i.recipe().lastIndexOf('@');
        n.put("recipe", at > 0 ? i.recipe().substring(0, at) : i.recipe());
        if (at > 0) {
            n.put("recipeVersion", Integer.parseInt(i.recipe().substring(at + 1)));
        }
        n.put("triggeredAt", i.part().triggeredAt().toString());
        n.put("decidedAt", i.decidedAt().toString());
        n.put("deadlineAt", i.part().deadlineAt().toString());
        n.put("latencyMs", Math.round(i.latencyMs() * 1000) / 1000.0);
        if (i.imagedPart() != null) {
            n.put("imagedPart", i.imagedPart()); // simulators only: lets a test PLC prove the frames were this part's
        }
        n.put("resent", resent);
        return n;
    }
}
