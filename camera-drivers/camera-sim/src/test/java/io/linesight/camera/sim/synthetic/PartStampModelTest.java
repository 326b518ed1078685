/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.OnnxDetector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo station's model sees the whole frame, the part-id strip included: it must detect the same with and
 * without the strip. Runs the model file the demo recipe ships at the recipe's confidence on demo-sized bright
 * shots; skipped, saying so, where that file is absent.
 */
class PartStampModelTest {
    private static final int W = 1280;
    private static final int H = 1024;
    /** The demo recipe's model confidence (station-app's demo recipes/bracket.yaml). */
    private static final double RECIPE_CONFIDENCE = 0.01;

    @Test
    void demoModel_detectsTheSameWithAndWithoutTheStamp() throws Exception {
        Path model = RepoFiles.find("station-app/core/src/main/resources/demo/recipes/models/bracket-defects.onnx");
        assumeTrue(model != null, "demo model bracket-defects.onnx not found next to this module: check skipped");
        ModelSpec spec = new ModelSpec(model.toString(), List.of(), RECIPE_CONFIDENCE, Map.of(), 0.45, false, 100,
                List.of(), null, "cpu", 1, 1, null);
        SyntheticRenderer stamped = new SyntheticRenderer(W, H, PixelFormat.MONO8, 7, 0.5, true);
        SyntheticRenderer plain = new SyntheticRenderer(W, H, PixelFormat.MONO8, 7, 0.5, false);
        ByteBuffer a = ByteBuffer.allocate(W * H);
        ByteBuffer b = ByteBuffer.allocate(W * H);
        PartStamp.Strip strip = PartStamp.strip(W, H);
        int withDefect = 0;
        int detections = 0;
        try (OnnxDetector detector = OnnxDetector.open(spec, model)) {
            for (int i = 0; i < 40; i++) {
                long key = PartStamp.idOf("M-" + i);
                withDefect += stamped.render(key, 1000, key, a).isEmpty() ? 0 : 1;
                plain.render(key, 1000, key, b);
                List<Detection> got;
                List<Detection> want;
                try (Frame fa = FrameImages.mono8Frame(a.array(), W, H); Frame fb = FrameImages.mono8Frame(b.array(), W, H)) {
                    got = detector.detect(fa);
                    want = detector.detect(fb);
                }
                assertThat(got).as("part %d", i).hasSameSizeAs(want);
                for (int k = 0; k < want.size(); k++) {
                    Detection g = got.get(k);
                    Detection w = want.get(k);
                    assertThat(g.classId()).as("part %d detection %d", i, k).isEqualTo(w.classId());
                    assertThat(g.iou(w)).as("part %d detection %d", i, k).isGreaterThan(0.95f);
                    assertThat(Math.abs(g.score() - w.score())).as("part %d detection %d", i, k).isLessThan(0.01f);
                    assertThat(g.y2()).as("part %d: %s reaches the strip", i, g).isLessThan(strip.y());
                }
                detections += got.size();
            }
        }
        assertThat(withDefect).as("parts with a defect among them").isGreaterThan(10);
        assertThat(detections).as("the model found defects at all").isGreaterThanOrEqualTo(withDefect);
    }
}
