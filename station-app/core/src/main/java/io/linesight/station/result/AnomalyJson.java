/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.rules.judge.ShotAnomaly;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The anomaly models' findings as an archived part's side-car keeps them ({@code anomalies}): per shot the score,
 * threshold, region and the map over its area, so the heat map can be drawn again from the archive. Frame pixels.
 */
public final class AnomalyJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnomalyJson() {
    }

    public static ArrayNode write(List<ShotAnomaly> anomalies) {
        ArrayNode list = JSON.createArrayNode();
        for (ShotAnomaly a : anomalies) {
            ObjectNode n = list.addObject();
            n.put("shot", a.shot()).put("score", round(a.score())).put("threshold", round(a.threshold()))
                    .put("anomalous", a.anomalous());
            n.set("region", box(a.region()));
            n.set("area", box(a.area()));
            n.put("gridWidth", a.gridWidth()).put("gridHeight", a.gridHeight());
            ArrayNode map = n.putArray("map");
            for (float v : a.map()) {
                map.add(round(v));
            }
        }
        return list;
    }

    /**
     * Reads what {@link #write} wrote; a side-car without {@code anomalies} (older, or no anomaly model) gives none.
     *
     * @throws IOException naming the entry that is not an anomaly finding
     */
    public static List<ShotAnomaly> read(JsonNode array) throws IOException {
        List<ShotAnomaly> out = new ArrayList<>();
        int k = 0;
        for (JsonNode n : array) {
            String where = "anomalies[" + k++ + "]";
            JsonNode map = n.path("map");
            int gw = n.path("gridWidth").asInt(-1);
            int gh = n.path("gridHeight").asInt(-1);
            if (!n.path("shot").isTextual() || !n.path("score").isNumber() || !n.path("threshold").isNumber()
                    || !map.isArray() || gw < 1 || gh < 1 || map.size() != gw * gh) {
                throw new IOException(where + ": not an anomaly finding (shot, score, threshold, gridWidth x gridHeight map)");
            }
            float[] values = new float[map.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) map.get(i).asDouble();
            }
            out.add(new ShotAnomaly(n.path("shot").asText(), n.path("score").asDouble(), n.path("threshold").asDouble(),
                    box(n.path("region"), where + ".region"), box(n.path("area"), where + ".area"), gw, gh, values));
        }
        return out;
    }

    private static ObjectNode box(ShotAnomaly.Box b) {
        return JSON.createObjectNode().put("x", b.x()).put("y", b.y()).put("width", b.width()).put("height", b.height());
    }

    private static ShotAnomaly.Box box(JsonNode n, String where) throws IOException {
        for (String f : List.of("x", "y", "width", "height")) {
            if (!n.path(f).isInt()) {
                throw new IOException(where + "." + f + ": must be a whole number");
            }
        }
        return new ShotAnomaly.Box(n.get("x").asInt(), n.get("y").asInt(), n.get("width").asInt(), n.get("height").asInt());
    }

    /** Four decimals: the map is for eyes, the score for people and reports; 8 KB a shot instead of 20. */
    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
