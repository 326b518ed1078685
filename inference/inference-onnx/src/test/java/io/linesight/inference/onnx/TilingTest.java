/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TilingTest {

    @Test
    void tiles_coverTheFrame_withTheLastOneFlushToTheEdge() {
        List<Tiles.Tile> t = Tiles.cover(2000, 700, 640, 64);
        assertThat(t).extracting(Tiles.Tile::x).containsExactly(0, 576, 1152, 1360, 0, 576, 1152, 1360);
        assertThat(t).extracting(Tiles.Tile::y).containsOnly(0, 60);
        assertThat(Tiles.cover(500, 400, 640, 64)).containsExactly(new Tiles.Tile(0, 0, 500, 400));
    }

    /**
     * A small person (cut from bus.jpg, 113 px tall) on a plain 5000x5000 Mono8 frame: shrunk to 640 it is 14 px
     * and the whole-frame pass misses it; 640-px tiles see it at full size.
     */
    @Test
    void smallObjectOnAHugeFrame_isFoundByTilesAndMissedByTheWholeFramePass() throws Exception {
        Path shared = Specs.shared();
        assumeTrue(shared != null && Files.isDirectory(shared.resolve("models")),
                "shared fixtures folder (system property linesight.shared) is absent: real-model tiling check skipped");
        Path model = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        BufferedImage bus = FrameImages.read(shared.resolve("datasets/ultralytics-samples/bus.jpg"));
        BufferedImage person = bus.getSubimage(215, 395, 135, 470); // the person in the middle, with margin
        BufferedImage canvas = new BufferedImage(5000, 5000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(170, 170, 170));
        g.fillRect(0, 0, 5000, 5000);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        int px = 3100;
        int py = 1900;
        g.drawImage(person, px, py, px + 135 / 2 * 1, py + 470 / 2, 0, 0, 135, 470, null);
        g.dispose();

        ModelSpec whole = Specs.spec(0.25, 0.7);
        ModelSpec tiled = Specs.spec(0.25, 0.7, Map.of(), false, 100, new ModelSpec.TilingSpec(640, 64, true), Specs.provider(), 0);
        try (Frame f = FrameImages.toMono8Frame(canvas);
             OnnxDetector dWhole = OnnxDetector.open(whole, model);
             OnnxDetector dTiled = OnnxDetector.open(tiled, model)) {
            List<Detection> a = dWhole.detect(f);
            List<Detection> b = dTiled.detect(f);
            System.out.println("whole frame: " + a + "\ntiled: " + b);
            Detection truth = new Detection(px, py, px + 67, py + 235, 0, "person", 1f);
            assertThat(a).noneMatch(d -> d.className().equals("person") && d.iou(truth) > 0.3f);
            assertThat(b).anyMatch(d -> d.className().equals("person") && d.iou(truth) > 0.5f);
        }
    }
}
