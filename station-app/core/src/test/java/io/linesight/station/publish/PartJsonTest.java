/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.inference.api.Detection;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.archive.ShotOverlays;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartJsonTest {
    private static final Instant T = Instant.parse("2026-01-05T06:00:00.123Z");

    @Test
    void rejectedPart_roundTripsWithWhatTheScreensDraw() throws Exception {
        RuleResult rule = new RuleResult("surface", "bright", false, ReasonCode.RULE_FAILED, "count 5 > max 0",
                List.of(new Measurement("count", 5, "", null, 0.0)),
                List.of(new Overlay.Box(10, 20, 30, 40, false, "surface"), new Overlay.Circle(5, 6, 7, true, "hole"),
                        new Overlay.Line(1, 2, 3, 4, true, ""), new Overlay.Polygon(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), false, "p")),
                1234);
        Inspection in = new Inspection(new Part("P-1", 99, T, 100), 7, "bracket@2", "m.onnx#ab",
                new Verdict.Reject(List.of(new Reason(ReasonCode.RULE_FAILED, "surface", "count 5 > max 0"))),
                List.of(rule), List.of(new ShotDetections("bright", List.of(new Detection(1, 2, 30, 40, 2, "scratch", 0.8f)))),
                List.of(), T.plusMillis(18), new Timings(1, 2, 3, 4, 10), null);

        Inspection out = PartJson.decode(PartJson.encode(in));

        assertThat(out.part().partId()).isEqualTo("P-1");
        assertThat(out.part().triggeredAt()).isEqualTo(T);
        assertThat(out.seq()).isEqualTo(7);
        assertThat(out.recipe()).isEqualTo("bracket@2");
        assertThat(out.verdict().passed()).isFalse();
        assertThat(out.verdict().reasons()).isEqualTo(in.verdict().reasons());
        assertThat(out.rules()).isEqualTo(in.rules());
        assertThat(out.detections()).isEqualTo(in.detections());
        assertThat(out.timings()).isEqualTo(in.timings());
        assertThat(out.decidedAt()).isEqualTo(T.plusMillis(18));
    }

    @Test
    void anAnomalyReject_carriesItsHeatMap_soARemoteScreenDrawsIt() throws Exception {
        ShotAnomaly found = new ShotAnomaly("bright", 0.91, 0.5, new ShotAnomaly.Box(64, 32, 16, 8),
                new ShotAnomaly.Box(0, 0, 128, 64), 4, 2, new float[] {0.1f, 0.2f, 0.9f, 0.3f, 0.1f, 0.1f, 0.4f, 0.2f});
        Inspection in = new Inspection(new Part("P-2", 100, T, 100), 8, "bracket@2", "m.onnx#ab",
                new Verdict.Reject(List.of(new Reason(ReasonCode.ANOMALY, "anomaly:bright", "score 0.91 > 0.5"))),
                List.of(), List.of(), List.of(), T.plusMillis(20), new Timings(1, 2, 3, 4, 10), null, null, List.of(found));

        Inspection out = PartJson.decode(PartJson.encode(in));

        assertThat(out.anomalies()).hasSize(1);
        ShotAnomaly a = out.anomalies().getFirst();
        assertThat(a.shot()).isEqualTo("bright");
        assertThat(a.score()).isEqualTo(0.91);
        assertThat(a.region()).isEqualTo(found.region());
        assertThat(a.area()).isEqualTo(found.area());
        assertThat(a.map()).containsExactly(found.map());
        assertThat(ShotOverlays.of(out, "bright").anomaly()).as("what the remote Production screen draws").isNotNull();
    }

    @Test
    void payloadWithoutPartId_isRefusedNamingTheField() {
        byte[] bad = "{\"result\":\"PASS\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PartJson.decode(bad)).isInstanceOf(IOException.class).hasMessageContaining("partId");
    }
}
