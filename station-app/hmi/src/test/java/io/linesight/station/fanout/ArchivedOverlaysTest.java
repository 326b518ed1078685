/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.Recipe;
import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.archive.ArchiveTesting;
import io.linesight.station.archive.ArchivedPart;
import io.linesight.station.archive.GreyImage;
import io.linesight.station.archive.ImageArchive;
import io.linesight.station.archive.OverlayRenderer;
import io.linesight.station.archive.ShotOverlays;
import io.linesight.station.hmi.ShotImage;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.Part;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.testing.TestStations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive keeps frames and overlay vectors, not drawings: the stored image is the frame sample for sample (8 or
 * 16 bits, as the camera delivered it), and an archived part drawn from its side-car and its stored image must give
 * exactly the pixels the HMI draws for the live part (the same {@link OverlayRenderer}, fed the live
 * frame as the viewers copy it and the inspection's overlays), at full size and downscaled as the HMI shows it.
 */
class ArchivedOverlaysTest {
    static final int W = 320;
    static final int H = 240;

    @TempDir
    Path dir;

    static Inspection inspection(Part part) {
        RuleResult hole = new RuleResult("hole", "top", false, ReasonCode.RULE_FAILED, "diameter 3.1 < 3.8", List.of(),
                List.of(new Overlay.Box(30.5, 20, 60, 40, false, "hole"), new Overlay.Circle(150, 120, 25.25, true, "ring"),
                        new Overlay.Line(5, 200, 300, 210, true, "edge"),
                        new Overlay.Polygon(List.of(200.0, 30.0, 260.0, 40.0, 240.0, 90.0), false, "blob")), 0);
        RuleResult other = new RuleResult("side", "side", true, ReasonCode.RULE_FAILED, "", List.of(),
                List.of(new Overlay.Box(1, 1, 5, 5, true, "not this shot")), 0);
        ShotDetections ds = new ShotDetections("top", List.of(new Detection(100, 60, 180, 110, 3, "scratch", 0.87f)));
        return new Inspection(part, 42, "bracket@2", "m.onnx", Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole", "small"),
                List.of(hole, other), List.of(ds), List.of(), part.triggeredAt(), Timings.NONE, null);
    }

    static Frame frame(FramePool pool, PixelFormat f, long seed) {
        FramePool.Slot slot = pool.acquire(1000);
        ByteBuffer b = slot.buffer().order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(seed);
        for (int k = 0; k < W * H; k++) {
            int v = (k % W) / 2 + r.nextInt(40); // a ramp with noise: every renderer difference shows
            if (f == PixelFormat.MONO8) {
                b.put(k, (byte) Math.min(255, v));
            } else {
                b.putShort(2 * k, (short) Math.min(f.maxValue(), v << (f.bitDepth() - 8)));
            }
        }
        return pool.publish(slot, new Frame.Builder().format(f, W, H).tag(new TriggerTag("P-1", "top")).complete(true));
    }

    @ParameterizedTest
    @EnumSource(value = PixelFormat.class, names = {"MONO8", "MONO12", "MONO16"})
    void archivedPartDrawnFromItsSideCar_isPixelForPixelWhatTheHmiDraws(PixelFormat format) throws Exception {
        Recipe recipe = TestStations.recipe(TestStations.load(dir.resolve("cfg"), TestStations.demoStationYaml()));
        FramePool pool = new FramePool(2, W * H * 2);
        Part part = new Part("P-1", 0, Instant.now(), 500_000_000L);
        Inspection inspection = inspection(part);
        LatestImages viewers = new LatestImages(1000);
        Path root = dir.resolve("archive");
        LatestImages.PartImages copies;
        int[] frameSamples = new int[W * H];
        try (AcquiredPart acquired = new AcquiredPart(part, recipe, List.of(new ShotFrame("top", "cam0",
                frame(pool, format, 7))), 0)) {
            copies = viewers.offer(acquired);
            Frame f = acquired.shots().getFirst().frame();
            for (int k = 0; k < W * H; k++) {
                frameSamples[k] = format == PixelFormat.MONO8 ? f.pixels().get(k) & 0xff
                        : f.pixels().getShort(2 * k) & 0xffff;
            }
            try (ImageArchive archive = new ImageArchive(root, 64L << 20)) {
                archive.copyAndQueue(inspection, acquired);
            }
        }
        assertThat(copies).as("the viewers' copy of this part").isNotNull();
        assertThat(copies.partId()).isEqualTo("P-1");
        LatestImages.Image live = copies.shots().get("top");
        assertThat(live.width()).as("a frame this small is copied at its own size").isEqualTo(W);
        ArchivedPart archived = ArchivedPart.read(root.resolve(ArchiveTesting.folderOf(root, inspection))
                .resolve(ImageArchive.stem("P-1", 42) + ".json"));
        java.awt.image.Raster file = javax.imageio.ImageIO.read(archived.image("top").toFile()).getRaster();
        assertThat(file.getSampleModel().getSampleSize(0)).isEqualTo(format == PixelFormat.MONO8 ? 8 : 16);
        assertThat(file.getSamples(0, 0, W, H, 0, new int[W * H])).as("the stored image, sample for sample the frame")
                .isEqualTo(frameSamples);
        GreyImage stored = archived.grey("top");
        assertThat(stored.pixels()).as("the archived image, as the viewers see frames").isEqualTo(live.grey());
        assertThat(archived.overlays("top")).isEqualTo(ShotOverlays.of(inspection, "top"));

        // full size
        int[] hmi = OverlayRenderer.render(W, H, live.grey(), ShotOverlays.of(inspection, "top"), 1.0, new int[W * H]);
        int[] fromArchive = OverlayRenderer.render(stored.width(), stored.height(), stored.pixels(),
                archived.overlays("top"), 1.0, new int[W * H]);
        assertThat(fromArchive).isEqualTo(hmi);
        assertThat(hmi).as("something was drawn").isNotEqualTo(OverlayRenderer.render(W, H, live.grey(),
                ShotOverlays.none("top"), 1.0, new int[W * H]));

        // downscaled as the HMI's image views show it (ShotView draws what the renderer returns)
        ShotImage liveView = ShotImage.downscaledCopy(live, 160);
        ShotImage archivedView = ShotImage.downscaledCopy(new LatestImages.Image("top", "cam0", archived.partId(),
                stored.width(), stored.height(), stored.pixels()), 160);
        int[] a = OverlayRenderer.render(liveView.width(), liveView.height(), liveView.grey(),
                ShotOverlays.of(inspection, "top"), liveView.scale(), new int[liveView.width() * liveView.height()]);
        int[] b = OverlayRenderer.render(archivedView.width(), archivedView.height(), archivedView.grey(),
                archived.overlays("top"), archivedView.scale(), new int[archivedView.width() * archivedView.height()]);
        assertThat(b).isEqualTo(a);
    }
}
