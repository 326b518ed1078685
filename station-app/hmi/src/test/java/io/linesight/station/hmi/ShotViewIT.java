/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.archive.ArchiveTesting;
import io.linesight.station.archive.OverlayRenderer;
import io.linesight.station.archive.ShotOverlays;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The HMI's image view shows what {@link OverlayRenderer} draws, pixel for pixel (so an archived part drawn by
 * {@code station archive --overlays} looks as it did on screen), and never overlays of another part. Needs an X
 * display like the other HMI tests ({@code xvfb-run -a}); skipped without one.
 */
@DisplayName("the HMI's shot view should")
class ShotViewIT {
    @BeforeAll
    static void needsDisplay() {
        HmiIT.needsDisplay();
    }

    static Inspection inspection(String partId) {
        RuleResult hole = new RuleResult("hole", "top", false, ReasonCode.RULE_FAILED, "", List.of(),
                List.of(new Overlay.Box(20, 30, 80, 50, false, "hole"), new Overlay.Circle(200, 120, 30, true, "ring")), 0);
        ShotDetections ds = new ShotDetections("top", List.of(new Detection(150, 40, 260, 100, 1, "dent", 0.66f)));
        return new Inspection(new Part(partId, 0, Instant.now(), 1), 5, "bracket@1", "m.onnx",
                Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole", ""), List.of(hole), List.of(ds), List.of(),
                Instant.now(), Timings.NONE, null);
    }

    @Test
    void showWhatTheOverlayRendererDraws_andNoOverlaysOfAnotherPart() throws Exception {
        byte[] grey = ArchiveTesting.noise(160 * 120, 3);
        ShotImage img = new ShotImage("top", "P-1", 160, 120, grey, 320, 240); // a frame of 320x240 shown at half size
        ShotView view = onFx(() -> new ShotView("top"));
        int[] shown = onFx(() -> {
            view.show(img, inspection("P-1"));
            return view.shownPixels();
        });
        assertThat(shown).isEqualTo(OverlayRenderer.render(160, 120, grey, ShotOverlays.of(inspection("P-1"), "top"),
                0.5, new int[160 * 120]));
        int[] otherPart = onFx(() -> {
            view.show(img, inspection("P-2"));
            return view.shownPixels();
        });
        assertThat(otherPart).as("the verdict of another part draws nothing on this image")
                .isEqualTo(OverlayRenderer.render(160, 120, grey, ShotOverlays.none("top"), 0.5, new int[160 * 120]))
                .isNotEqualTo(shown);
    }

    static <T> T onFx(Supplier<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }
}
