/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.config.station.BrokerConfig;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.ResultJson;
import java.nio.charset.StandardCharsets;

/**
 * Verdict messages as the PLC reads them (docs/PLC.md).
 * <ul>
 * <li>JSON: the result's one document, {@link ResultJson#summary} ({@code partId, seq, result, reasons, details,
 * recipe, recipeVersion, model, triggeredAt, decidedAt, deadlineAt, latencyMs}, …), and {@code resent}</li>
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

    /** The JSON form: the result's one document ({@link ResultJson#summary}) and whether it is sent again. */
    public static ObjectNode json(Inspection i, boolean resent) {
        return ResultJson.summary(i).put("resent", resent);
    }
}
