/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("an anomaly finding should be drawn as a heat map with its region boxed, live and from the side-car alike")
class AnomalyOverlayTest {
    static final int W = 200;
    static final int H = 100;

    /** A 10x5 map over the area (20,10 160x80): one hot patch at grid (6, 2), above the threshold 1.0. */
    static ShotAnomaly finding() {
        float[] map = new float[10 * 5];
        map[2 * 10 + 6] = 2.0f;
        map[2 * 10 + 5] = 0.8f;
        return new ShotAnomaly("top", 2.0, 1.0, new ShotAnomaly.Box(116, 42, 16, 16), new ShotAnomaly.Box(20, 10, 160, 80),
                10, 5, map);
    }

    static Inspection inspection(ShotAnomaly a) {
        return new Inspection(new Part("P-1", 0, Instant.now(), 1), 1, "tile@1", "", Verdict.Reject.of(ReasonCode.ANOMALY,
                "top", "score 2.000 > 1.000"), List.of(), List.of(), List.of(), Instant.now(), Timings.NONE, null, null,
                List.of(a));
    }

    static int red(int argb) {
        return (argb >> 16) & 0xff;
    }

    static int green(int argb) {
        return (argb >> 8) & 0xff;
    }

    @Test
    void hotPatchIsRed_coolPatchesUntouched_regionBoxedInTheRejectColour() {
        byte[] grey = new byte[W * H];
        java.util.Arrays.fill(grey, (byte) 100);
        int[] px = OverlayRenderer.render(W, H, grey, ShotOverlays.of(inspection(finding()), "top"), 1.0, new int[W * H]);

        int hot = px[(10 + 2 * 16 + 8) * W + (20 + 6 * 16 + 8)]; // the centre of patch (6, 2)
        assertThat(red(hot)).isGreaterThan(150);
        assertThat(green(hot)).isLessThan(100);
        int warm = px[(10 + 2 * 16 + 8) * W + (20 + 5 * 16 + 8)]; // 0.8 of the threshold: yellow-orange, fainter
        assertThat(red(warm)).isGreaterThan(green(warm)).isGreaterThan(100);
        assertThat(px[(10 + 4 * 16 + 8) * W + (20 + 1 * 16 + 8)]).as("a patch far below the threshold")
                .isEqualTo(0xff646464);
        assertThat(px[5 * W + 5]).as("outside the area the model looked at").isEqualTo(0xff646464);
        int edge = px[(42 + 8) * W + 116]; // the region's left edge, in OverlayRenderer.FAIL
        assertThat(red(edge)).isGreaterThan(200);
    }

    @Test
    void sideCarKeepsScoreRegionAndMap_andDrawsTheSamePixels() throws IOException {
        Inspection i = inspection(finding());
        JsonNode side = new ObjectMapper().readTree(SideCar.encode(i, List.of()));
        assertThat(side.path("anomalies").get(0).path("score").asDouble()).isEqualTo(2.0);
        assertThat(side.path("anomalies").get(0).path("region").path("x").asInt()).isEqualTo(116);

        ShotOverlays fromArchive = ShotOverlays.fromSideCar(side, "top");
        assertThat(fromArchive.anomaly()).isNotNull();
        assertThat(fromArchive.anomaly().map()).containsExactly(finding().map());
        byte[] grey = new byte[W * H];
        assertThat(OverlayRenderer.render(W, H, grey, fromArchive, 1.0, new int[W * H]))
                .isEqualTo(OverlayRenderer.render(W, H, grey, ShotOverlays.of(i, "top"), 1.0, new int[W * H]));
    }

    @Test
    void sideCarEntryWithAMapOfTheWrongSize_isRefusedNamingIt() throws IOException {
        JsonNode side = new ObjectMapper().readTree(
                "{\"anomalies\": [{\"shot\": \"top\", \"score\": 1, \"threshold\": 1, \"gridWidth\": 2, \"gridHeight\": 2,"
                        + " \"map\": [1, 2, 3]}]}");
        assertThatThrownBy(() -> ShotOverlays.fromSideCar(side, "top")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("anomalies[0]: not an anomaly finding");
    }
}
