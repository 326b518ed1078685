/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.archive.ArchiveTesting;
import io.linesight.station.archive.OverlayRenderer;
import io.linesight.station.archive.ShotOverlays;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Production and Rejects screens show a part's shots in {@link ShotView}s: an anomaly reject shows its heat map,
 * region and score there, drawn by {@link OverlayRenderer} from the inspection, at the view's scale. Needs an X display
 * ({@code xvfb-run -a}) like the other HMI tests.
 */
@DisplayName("the HMI's shot view should show an anomaly reject's heat map and region")
class AnomalyOverlayIT {
    @BeforeAll
    static void needsDisplay() {
        HmiIT.needsDisplay();
    }

    static Inspection anomalyReject(String partId) {
        float[] map = new float[8 * 6];
        map[3 * 8 + 5] = 3.0f;
        ShotAnomaly a = new ShotAnomaly("top", 3.0, 1.5, new ShotAnomaly.Box(200, 120, 40, 40),
                new ShotAnomaly.Box(0, 0, 320, 240), 8, 6, map);
        return new Inspection(new Part(partId, 0, Instant.now(), 1), 5, "tile@1", "anomaly top=top.anomaly",
                Verdict.Reject.of(ReasonCode.ANOMALY, "top", "score 3.000 > 1.500 at top (200,120 40x40 px)"), List.of(),
                List.of(), List.of(), Instant.now(), Timings.NONE, null, null, List.of(a));
    }

    @Test
    void anomalyRejectDrawsHeatMapAndRegion_atTheViewsScale_onlyOnItsOwnPart() throws Exception {
        byte[] grey = ArchiveTesting.noise(160 * 120, 3);
        ShotImage img = new ShotImage("top", "P-1", 160, 120, grey, 320, 240); // a 320x240 frame shown at half size
        ShotView view = ShotViewIT.onFx(() -> new ShotView("top"));
        int[] shown = ShotViewIT.onFx(() -> {
            view.show(img, anomalyReject("P-1"));
            return view.shownPixels();
        });
        ShotOverlays drawn = ShotOverlays.of(anomalyReject("P-1"), "top");
        assertThat(drawn.anomaly()).isNotNull();
        assertThat(shown).isEqualTo(OverlayRenderer.render(160, 120, grey, drawn, 0.5, new int[160 * 120]));
        int hot = shown[(3 * 20 + 10) * 160 + (5 * 20 + 10)]; // the hot patch's centre at half size
        assertThat((hot >> 16) & 0xff).as("red heat on the hot patch").isGreaterThan(140);
        assertThat((hot >> 8) & 0xff).isLessThan(120);

        int[] otherPart = ShotViewIT.onFx(() -> {
            view.show(img, anomalyReject("P-2"));
            return view.shownPixels();
        });
        assertThat(otherPart).as("another part's heat map is not drawn on this image")
                .isEqualTo(OverlayRenderer.render(160, 120, grey, ShotOverlays.none("top"), 0.5, new int[160 * 120]));
    }
}
