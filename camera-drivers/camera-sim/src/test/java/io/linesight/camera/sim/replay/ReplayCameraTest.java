/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.api.TruthBox;
import io.linesight.camera.testkit.FrameCollector;
import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCameraTest {
    private static final long WAIT_MS = 5_000;
    private static final int W = 40;
    private static final int H = 30;

    @TempDir
    Path dir;

    private static CameraConfig config(Path folder, PixelFormat f, TriggerMode mode, Map<String, String> options) {
        return new CameraConfig("rp", "replay", folder.toString(), W, H, f, mode, 1000, options);
    }

    private static CameraConfig config(Path folder, Map<String, String> options) {
        return config(folder, PixelFormat.MONO8, TriggerMode.SOFTWARE, options);
    }

    private static Camera open(CameraConfig cfg) throws CameraException {
        return CameraProviders.byId("replay").open(cfg);
    }

    /** Triggers n times; returns each frame's pixels (copied) and truth. */
    private static List<Played> play(CameraConfig cfg, int n) throws Exception {
        try (Camera cam = open(cfg)) {
            FrameCollector sink = new FrameCollector(false);
            cam.start(sink);
            for (int i = 0; i < n; i++) {
                cam.trigger(new TriggerTag("p" + i, "s"));
            }
            List<Frame> frames = sink.take(n, WAIT_MS);
            assertThat(frames).hasSize(n);
            List<Played> out = new ArrayList<>();
            for (Frame f : frames) {
                ByteBuffer b = f.pixels();
                byte[] px = new byte[b.remaining()];
                b.get(px);
                out.add(new Played(px, f.truth()));
                f.close();
            }
            return out;
        }
    }

    record Played(byte[] pixels, List<TruthBox> truth) {
        int at(int x, int y) {
            return pixels[y * W + x] & 0xff;
        }

        int at16(int x, int y) {
            int i = 2 * (y * W + x);
            return (pixels[i] & 0xff) | (pixels[i + 1] & 0xff) << 8;
        }
    }

    @Nested
    class Order {
        @Test
        @DisplayName("images play in file-name order, and start over after the last one")
        void imagesPlay_inNameOrder_andLoop() throws Exception {
            TestImages.grey8(dir.resolve("img_2.png"), W, H, 20);
            TestImages.grey8(dir.resolve("img_10.png"), W, H, 100);
            TestImages.grey8(dir.resolve("img_1.png"), W, H, 10);
            Files.writeString(dir.resolve("notes.md"), "not an image");
            List<Played> p = play(config(dir, Map.of()), 5);
            // string order: img_1, img_10, img_2
            assertThat(p).extracting(x -> x.at(0, 0)).containsExactly(10, 100, 20, 10, 100);
            assertThat(p.get(0).at(5, 3)).isEqualTo(18);
        }

        @Test
        void loopFalse_refusesTheTriggerAfterTheLastImage() throws Exception {
            TestImages.grey8(dir.resolve("a.png"), W, H, 1);
            TestImages.grey8(dir.resolve("b.png"), W, H, 2);
            try (Camera cam = open(config(dir, Map.of("loop", "false")))) {
                FrameCollector sink = new FrameCollector(true);
                cam.start(sink);
                cam.trigger(new TriggerTag("1", "s"));
                cam.trigger(new TriggerTag("2", "s"));
                assertThatThrownBy(() -> cam.trigger(new TriggerTag("3", "s")))
                        .isInstanceOf(CameraException.class)
                        .hasMessageContaining("all 2 images were played")
                        .hasMessageContaining("loop");
                assertThat(sink.take(2, WAIT_MS)).hasSize(2);
            }
        }

        @Test
        void anImageThatCannotBeDecodedWhenItsTurnComes_faultsThatFrameOnly_andTheNextFrameSaysTheCameraRecovered()
                throws Exception {
            TestImages.grey8(dir.resolve("a.png"), W, H, 1);
            TestImages.grey8(dir.resolve("b.png"), W, H, 2);
            TestImages.grey8(dir.resolve("c.png"), W, H, 3);
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (Camera cam = open(config(dir, Map.of("cacheMb", "0")))) {
                Files.writeString(dir.resolve("b.png"), "replaced by something that is no image"); // after open
                cam.start(new io.linesight.camera.api.FrameSink() {
                    @Override
                    public void onFrame(Frame frame) {
                        events.add("frame " + frame.tag().partId() + " grey " + (frame.pixels().get(0) & 0xff));
                        frame.close();
                    }

                    @Override
                    public void onFault(CameraException fault) {
                        events.add("fault");
                    }

                    @Override
                    public void onRecovered() {
                        events.add("recovered");
                    }
                });
                for (String id : new String[] {"p1", "p2", "p3"}) {
                    cam.trigger(new TriggerTag(id, "s"));
                }
                for (int i = 0; i < 250 && events.size() < 4; i++) {
                    Thread.sleep(20);
                }
            }
            // the station rejects a faulted camera's parts: without "recovered" it would go on doing so for good
            assertThat(events).containsExactly("frame p1 grey 1", "fault", "recovered", "frame p3 grey 3");
        }

        @Test
        void onDemandDecoding_givesTheSamePixelsAsTheCache() throws Exception {
            TestImages.grey8(dir.resolve("a.png"), W, H, 3);
            TestImages.grey16(dir.resolve("b.tif"), W, H, 700);
            List<Played> cached = play(config(dir, Map.of()), 2);
            List<Played> onDemand = play(config(dir, Map.of("cacheMb", "0")), 2);
            for (int i = 0; i < 2; i++) {
                assertThat(onDemand.get(i).pixels()).isEqualTo(cached.get(i).pixels());
            }
        }

        @Test
        void freeRun_playsWithoutTriggers() throws Exception {
            TestImages.grey8(dir.resolve("a.png"), W, H, 3);
            CameraConfig cfg = config(dir, PixelFormat.MONO8, TriggerMode.FREE_RUN, Map.of("rateHz", "100"));
            try (Camera cam = open(cfg)) {
                FrameCollector sink = new FrameCollector(true);
                cam.start(sink);
                assertThat(sink.take(3, WAIT_MS)).hasSize(3).allSatisfy(f -> assertThat(f.tag()).isNull());
            }
        }
    }

    @Nested
    class Formats {
        @Test
        @DisplayName("a 16-bit TIFF plays unchanged as mono16 and shifted right by 8 as mono8")
        void sixteenBitTiff_keepsItsValues() throws Exception {
            TestImages.grey16(dir.resolve("deep.tiff"), W, H, 1000);
            Played m16 = play(config(dir, PixelFormat.MONO16, TriggerMode.SOFTWARE, Map.of()), 1).getFirst();
            Played m8 = play(config(dir, Map.of()), 1).getFirst();
            for (int y = 0; y < H; y += 7) {
                for (int x = 0; x < W; x += 3) {
                    int v = TestImages.grey16Value(1000, x, y);
                    assertThat(m16.at16(x, y)).as("mono16 at %d,%d", x, y).isEqualTo(v);
                    assertThat(m8.at(x, y)).as("mono8 at %d,%d", x, y).isEqualTo(v >> 8);
                }
            }
        }

        @Test
        void eightBitImage_inAMono16Camera_isScaledBy257() throws Exception {
            TestImages.grey8(dir.resolve("a.bmp"), W, H, 50);
            Played p = play(config(dir, PixelFormat.MONO16, TriggerMode.SOFTWARE, Map.of()), 1).getFirst();
            assertThat(p.at16(4, 2)).isEqualTo(56 * 257);
        }

        @Test
        void colourImage_isConvertedToGreyByLuma() throws Exception {
            TestImages.rgb(dir.resolve("c.png"), W, H, 0x336699);
            Played p = play(config(dir, Map.of()), 1).getFirst();
            int luma = (77 * 0x33 + 150 * 0x66 + 29 * 0x99 + 128) >> 8;
            assertThat(p.at(10, 10)).isEqualTo(luma);
        }

        @Test
        void jpeg_plays() throws Exception {
            TestImages.grey8(dir.resolve("j.jpg"), W, H, 60);
            Played p = play(config(dir, Map.of()), 1).getFirst();
            assertThat(p.at(20, 15)).isBetween(60 + 35 - 8, 60 + 35 + 8);
        }
    }

    @Nested
    class Labels {
        @Test
        void yoloLabels_withClassesTxt_becomeTruthBoxesInPixels() throws Exception {
            TestImages.grey8(dir.resolve("p1.png"), W, H, 0);
            TestImages.grey8(dir.resolve("p2.png"), W, H, 0);
            Files.writeString(dir.resolve("classes.txt"), "scratch\ndent\n");
            Files.writeString(dir.resolve("p1.txt"), "1 0.5 0.5 0.25 0.2\n0 0.1 0.2 0.1 0.1\n");
            List<Played> p = play(config(dir, Map.of()), 2);
            assertThat(p.get(0).truth()).hasSize(2);
            TruthBox dent = p.get(0).truth().getFirst();
            assertThat(dent.label()).isEqualTo("dent");
            assertThat(dent.x1()).isCloseTo(15, within(1e-9));
            assertThat(dent.y1()).isCloseTo(12, within(1e-9));
            assertThat(dent.x2()).isCloseTo(25, within(1e-9));
            assertThat(dent.y2()).isCloseTo(18, within(1e-9));
            assertThat(p.get(0).truth().get(1).label()).isEqualTo("scratch");
            assertThat(p.get(1).truth()).as("image without label file").isEmpty();
        }

        @Test
        void yoloLabels_inSiblingLabelsFolder_withDataYamlNames() throws Exception {
            Path images = Files.createDirectories(dir.resolve("images"));
            Path labels = Files.createDirectories(dir.resolve("labels"));
            TestImages.grey8(images.resolve("q.png"), W, H, 0);
            Files.writeString(labels.resolve("q.txt"), "2 0.5 0.5 1 1\n");
            Files.writeString(dir.resolve("data.yaml"), "path: .\nnames:\n  0: scratch\n  1: dent\n  2: missing_hole\n");
            TruthBox box = play(config(images, Map.of()), 1).getFirst().truth().getFirst();
            assertThat(box).isEqualTo(new TruthBox("missing_hole", 0, 0, W, H));
        }

        @Test
        void vocAnnotation_nextToTheImage_becomesTruth() throws Exception {
            TestImages.grey8(dir.resolve("v.png"), W, H, 0);
            Files.writeString(dir.resolve("v.xml"), """
                    <annotation><size><width>40</width><height>30</height></size>
                      <object><name>dent</name><bndbox><xmin>3</xmin><ymin>4</ymin><xmax>13</xmax><ymax>24</ymax></bndbox></object>
                      <object><name>scratch</name><bndbox><xmin>1.5</xmin><ymin>2</ymin><xmax>5</xmax><ymax>6</ymax></bndbox></object>
                    </annotation>
                    """);
            assertThat(play(config(dir, Map.of()), 1).getFirst().truth())
                    .containsExactly(new TruthBox("dent", 3, 4, 13, 24), new TruthBox("scratch", 1.5, 2, 5, 6));
        }

        @Test
        void badYoloLine_isRefusedAtOpen_namingFileAndLine() throws Exception {
            TestImages.grey8(dir.resolve("p.png"), W, H, 0);
            Files.writeString(dir.resolve("p.txt"), "0 0.5 0.5 0.2 0.2\n0 0.5 0.5\n");
            assertThatThrownBy(() -> open(config(dir, Map.of())))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("p.txt:2");
        }

        @Test
        void yoloClassBeyondTheNames_isRefused() throws Exception {
            TestImages.grey8(dir.resolve("p.png"), W, H, 0);
            Files.writeString(dir.resolve("classes.txt"), "scratch\n");
            Files.writeString(dir.resolve("p.txt"), "3 0.5 0.5 0.2 0.2\n");
            assertThatThrownBy(() -> open(config(dir, Map.of())))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("p.txt:1")
                    .hasMessageContaining("class 3");
        }

        @Test
        @DisplayName("real NEU-DET images with their Pascal VOC annotations in a sibling folder")
        void neuDet_vocAnnotations_inSiblingFolder() throws Exception {
            Path neu = Path.of(System.getProperty("linesight.shared", "shared"), "datasets", "neu-det");
            assumeTrue(Files.isDirectory(neu.resolve("images")), "NEU-DET not staged in shared/");
            Path images = Files.createDirectories(dir.resolve("images"));
            Path annotations = Files.createDirectories(dir.resolve("annotations"));
            for (String cls : List.of("crazing", "scratches", "patches")) {
                String stem;
                try (var files = Files.list(neu.resolve("images"))) {
                    String first = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(cls + "_"))
                            .sorted().findFirst().orElseThrow();
                    stem = first.substring(0, first.length() - ".jpg".length());
                }
                Files.copy(neu.resolve("images").resolve(stem + ".jpg"), images.resolve(stem + ".jpg"));
                Files.copy(neu.resolve("annotations").resolve(stem + ".xml"), annotations.resolve(stem + ".xml"));
            }
            CameraConfig cfg = new CameraConfig("neu", "replay", images.toString(), 200, 200, PixelFormat.MONO8,
                    TriggerMode.SOFTWARE, 1000, Map.of());
            try (Camera cam = open(cfg)) {
                FrameCollector sink = new FrameCollector(true);
                cam.start(sink);
                for (int i = 0; i < 3; i++) {
                    cam.trigger(new TriggerTag("n" + i, "s"));
                }
                List<Frame> frames = sink.take(3, WAIT_MS);
                assertThat(frames).hasSize(3);
                // name order: crazing, patches, scratches
                assertThat(frames.get(0).truth()).isNotEmpty().allSatisfy(b -> assertThat(b.label()).isEqualTo("crazing"));
                assertThat(frames.get(0).truth()).allSatisfy(b -> assertThat(b.x2()).isBetween(b.x1() + 1, 200.0));
                assertThat(frames.get(1).truth()).isNotEmpty().allSatisfy(b -> assertThat(b.label()).isEqualTo("patches"));
                assertThat(frames.get(2).truth()).isNotEmpty()
                        .allSatisfy(b -> assertThat(b.label()).isEqualTo("scratches"));
            }
        }
    }

    @Nested
    class BadFolders {
        @Test
        void imageOfAnotherSize_isRefusedAtOpen_namingTheFile() {
            TestImages.grey8(dir.resolve("ok.png"), W, H, 0);
            TestImages.grey8(dir.resolve("wrong.png"), W + 1, H, 0);
            assertThatThrownBy(() -> open(config(dir, Map.of())))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("wrong.png")
                    .hasMessageContaining("41x30")
                    .hasMessageContaining("40x30");
        }

        @Test
        void emptyFolder_isRefused() {
            assertThatThrownBy(() -> open(config(dir, Map.of())))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("cameras[rp].device")
                    .hasMessageContaining("holds no images");
        }

        @Test
        void missingFolder_isRefused() {
            assertThatThrownBy(() -> open(config(dir.resolve("nowhere"), Map.of())))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("nowhere")
                    .hasMessageContaining("does not exist");
        }

        @Test
        void noDevice_isRefused() {
            CameraConfig cfg = new CameraConfig("rp", "replay", null, W, H, PixelFormat.MONO8, TriggerMode.SOFTWARE,
                    1000, Map.of());
            assertThatThrownBy(() -> open(cfg)).isInstanceOf(CameraException.class)
                    .hasMessageContaining("cameras[rp].device");
        }

        @Test
        void corruptImage_isRefusedAtOpen_namingTheFile() throws Exception {
            Files.writeString(dir.resolve("broken.png"), "this is not a png");
            assertThatThrownBy(() -> open(config(dir, Map.of())))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("broken.png");
        }

        @Test
        void badOption_isRefused_namingKeyAndValue() {
            TestImages.grey8(dir.resolve("ok.png"), W, H, 0);
            assertThatThrownBy(() -> open(config(dir, Map.of("loop", "sometimes"))))
                    .isInstanceOf(CameraException.class)
                    .hasMessageContaining("cameras[rp].options.loop")
                    .hasMessageContaining("'sometimes'");
        }
    }
}
