/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.station.BrokerConfig;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.plc.VerdictPayload;
import io.linesight.station.publish.PartJson;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.ResultJson;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part's result is one document ({@link ResultJson#summary}): the PLC's verdict message, the results store's
 * {@code document} column and the remote HMI's part payload all carry every field of it, with the same value. A field
 * added to the summary is checked here for all three without a change to this test.
 */
class ResultDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-02T08:00:00.250Z");

    @TempDir
    Path dir;

    @Test
    void everyFieldOfTheResult_reachesThePlc_theStore_andTheRemoteHmi_withTheSameValue() throws Exception {
        Inspection part = Parts.reject("P-7", 7, T, 12.3456, "bracket@3", ReasonCode.DEFECT_DETECTED, "scratch");
        // as a reader sees it: parsed from its text (numbers as the parser types them)
        JsonNode summary = JSON.readTree(ResultJson.summary(part).toString());

        JsonNode plc = JSON.readTree(VerdictPayload.encode(part, BrokerConfig.Payload.JSON, false));
        JsonNode hmi = JSON.readTree(PartJson.encode(part));
        JsonNode stored;
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            store.write(List.of(Parts.entry(part)));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT document FROM verdicts WHERE part_id = 'P-7'")) {
            assertThat(rs.next()).as("the stored row").isTrue();
            stored = JSON.readTree(rs.getString(1));
        }

        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("the result's fields").contains("partId", "seq", "result", "reasons", "details", "recipe",
                "recipeVersion", "model", "triggeredAt", "decidedAt", "deadlineAt", "latencyMs");
        for (Map.Entry<String, JsonNode> field : summary.properties()) {
            assertThat(plc.get(field.getKey())).as("PLC message: %s", field.getKey()).isEqualTo(field.getValue());
            assertThat(stored.get(field.getKey())).as("stored document: %s", field.getKey()).isEqualTo(field.getValue());
            assertThat(hmi.get(field.getKey())).as("remote HMI payload: %s", field.getKey()).isEqualTo(field.getValue());
        }
        assertThat(plc.get("recipe").asText()).isEqualTo("bracket");
        assertThat(plc.get("recipeVersion").asInt()).isEqualTo(3);
        assertThat(plc.get("reasons").get(0).asText()).isEqualTo("DEFECT_DETECTED");
        assertThat(plc.get("latencyMs").asDouble()).isEqualTo(12.346);
    }

    @Test
    void theRemoteHmi_readsTheResultBack_asTheStationHadIt() throws Exception {
        Inspection part = Parts.reject("P-8", 8, T, 20, "bracket@3", ReasonCode.RULE_FAILED);

        Inspection back = PartJson.decode(PartJson.encode(part));

        assertThat(back.recipe()).isEqualTo("bracket@3");
        assertThat(back.model()).isEqualTo(part.model());
        assertThat(back.verdict().reasons()).isEqualTo(part.verdict().reasons());
        assertThat(back.decidedAt()).isEqualTo(part.decidedAt());
    }

    @Test
    void aRecipeLabelWithoutANumericVersion_isKeptWhole() {
        assertThat(ResultJson.RecipeLabel.of("bracket@3")).isEqualTo(new ResultJson.RecipeLabel("bracket", 3));
        assertThat(ResultJson.RecipeLabel.of("bracket@x")).isEqualTo(new ResultJson.RecipeLabel("bracket@x", null));
        assertThat(ResultJson.RecipeLabel.of("bracket").label()).isEqualTo("bracket");
    }
}
