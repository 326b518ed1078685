/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.inference.api.InferenceException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Learning from synthetic good textures with the bundled backbone, then finding a blob nobody labelled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("An anomaly model learned from good textures should")
class AnomalyModelTest {
    private static final int SIZE = 128;
    private static final int BLOB_X = 88;
    private static final int BLOB_Y = 40;
    private static final int BLOB_R = 9;

    private Path dir;
    private Path modelFile;
    private AnomalyModelInfo learned;

    /** A brushed-metal-like texture: fine horizontal grain and sensor noise, a random phase per image. */
    static BufferedImage texture(long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        double phase = r.nextDouble() * 2 * Math.PI;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double v = 140 + 25 * Math.sin(y * 0.9 + phase) + 8 * Math.sin(x * 0.15 + phase * 2) + r.nextGaussian() * 6;
                img.getRaster().setSample(x, y, 0, (int) Math.max(0, Math.min(255, v)));
            }
        }
        return img;
    }

    static BufferedImage withBlob(long seed) {
        BufferedImage img = texture(seed);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 30, 30));
        g.fillOval(BLOB_X - BLOB_R, BLOB_Y - BLOB_R, 2 * BLOB_R, 2 * BLOB_R);
        g.dispose();
        return img;
    }

    @BeforeAll
    void learn(@TempDir Path tmp) throws Exception {
        dir = tmp;
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path p = dir.resolve("good-" + i + ".png");
            ImageIO.write(texture(i), "png", p.toFile());
            good.add(p);
        }
        modelFile = dir.resolve("texture.anomaly");
        AnomalyLearner.Options o = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 0.01, 0.25, 2000, 4, 32, 7L, 2);
        List<String> stages = new ArrayList<>();
        learned = AnomalyLearner.learn(AnomalyModel.bundledBackbone(), AnomalyModel.BUNDLED_BACKBONE, good, o, modelFile,
                (stage, done, total) -> stages.add(stage));
        assertThat(stages).contains("features", "coreset", "calibration");
    }

    @Test
    void scoreTheBlobAboveTheThresholdAndPeakAtIt() throws Exception {
        try (AnomalyModel m = AnomalyModel.open(modelFile, 2)) {
            AnomalyResult blob = m.score(withBlob(100));
            AnomalyResult good = m.score(texture(101));

            assertThat(blob.anomalous()).isTrue();
            assertThat(blob.score()).isGreaterThan(m.info().threshold());
            assertThat(blob.score()).isGreaterThan(1.5 * good.score());
            int[] peak = blob.peak();
            assertThat(Math.hypot(peak[0] - BLOB_X, peak[1] - BLOB_Y)).as("map peak %s,%s vs blob", peak[0], peak[1])
                    .isLessThan(BLOB_R + 8);
            assertThat(blob.region().contains(BLOB_X, BLOB_Y)).as("region %s", blob.region()).isTrue();
        }
    }

    @Test
    void leaveOutTheBlobWhereTheIgnoreMaskCoversIt() throws Exception {
        try (AnomalyModel m = AnomalyModel.open(modelFile, 2)) {
            boolean[] ignore = new boolean[SIZE * SIZE];
            for (int y = BLOB_Y - BLOB_R - 8; y < BLOB_Y + BLOB_R + 8; y++) {
                for (int x = BLOB_X - BLOB_R - 8; x < BLOB_X + BLOB_R + 8; x++) {
                    ignore[y * SIZE + x] = true;
                }
            }
            AnomalyResult unmasked = m.score(withBlob(100));
            AnomalyResult masked = m.score(withBlob(100), m.info().threshold(), ignore);

            assertThat(masked.score()).isLessThan(unmasked.score() / 1.5);
            assertThat(masked.map()[(BLOB_Y / 8) * masked.gridWidth() + BLOB_X / 8]).isZero();
            assertThatThrownBy(() -> m.score(withBlob(100), 1, new boolean[3]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ignore mask has 3 pixels");
        }
    }

    @Test
    void setAThresholdForAnotherFalseRejectRateFromItsHeldOutScores() throws Exception {
        try (AnomalyModel m = AnomalyModel.open(modelFile, 1)) {
            List<Double> held = m.info().calibrationScores();
            assertThat(m.info().thresholdFor(0.01)).isEqualTo(m.info().threshold());
            // with as many held-out images as 1/0.5, half of them may lie above: the threshold is a lower score
            assertThat(m.info().thresholdFor(0.5)).isEqualTo(held.get((held.size() - 1) - held.size() / 2));
        }
    }

    @Test
    void recordWhatItLearnedFromInItsMetadata() throws Exception {
        try (AnomalyModel m = AnomalyModel.open(modelFile, 1)) {
            AnomalyModelInfo info = m.info();
            assertThat(info).isEqualTo(learned);
            assertThat(info.layers()).containsExactly("s8", "s16");
            assertThat(info.featureDim()).isEqualTo(32 + 96);
            assertThat(info.learnedFrom()).hasSize(9).contains("good-0.png").doesNotContain("good-3.png");
            assertThat(info.calibratedOn()).containsExactly("good-3.png", "good-7.png", "good-11.png");
            assertThat(info.threshold()).isEqualTo(info.calibrationScores().getLast());
            assertThat(info.bankSize()).isEqualTo((int) Math.ceil(0.25 * 9 * (SIZE / 8) * (SIZE / 8)));
            assertThat(info.backboneSha256()).isEqualTo(AnomalyModel.sha256(AnomalyModel.bundledBackbone()));
        }
    }

    @Test
    void refuseAModelWhoseBackboneWasAltered() throws Exception {
        Path tampered = dir.resolve("tampered.anomaly");
        rewrite(modelFile, tampered, AnomalyModel.BACKBONE, bytes -> {
            byte[] b = bytes.clone();
            b[b.length / 2] ^= 1;
            return b;
        });
        assertThatThrownBy(() -> AnomalyModel.open(tampered, 1)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("tampered.anomaly!backbone.onnx: SHA-256").hasMessageContaining("differs");
    }

    @Test
    void refuseABankOfTheWrongSize() throws Exception {
        Path cut = dir.resolve("cut.anomaly");
        rewrite(modelFile, cut, AnomalyModel.BANK, bytes -> java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> AnomalyModel.open(cut, 1)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("cut.anomaly!bank.f32").hasMessageContaining("x 128 float32");
    }

    @Test
    void refuseAFileThatIsNoAnomalyModel() throws Exception {
        Path onnx = dir.resolve("plain.onnx");
        Files.write(onnx, AnomalyModel.bundledBackbone());
        assertThatThrownBy(() -> AnomalyModel.open(onnx, 1)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("plain.onnx: not an anomaly model file");
    }

    @Test
    void readAModelFileWrittenBeforeTopKAndMirroringAsTheLargestPatchScoredIt() throws Exception {
        // the learned file has topK 1 (the Options constructor without it); an older file has no such fields at all
        Path old = dir.resolve("old-format.anomaly");
        rewrite(modelFile, old, AnomalyModel.INFO, json -> new String(json, java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("(?m)^\\s*\"(topK|mirrored|centre|spread|scales)\": [^\\n]*,\\n", "").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path top3 = dir.resolve("top3.anomaly");
        rewrite(modelFile, top3, AnomalyModel.INFO, json -> new String(json, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"topK\": 1,", "\"topK\": 3,").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (AnomalyModel current = AnomalyModel.open(modelFile, 1); AnomalyModel older = AnomalyModel.open(old, 1);
             AnomalyModel three = AnomalyModel.open(top3, 1)) {
            assertThat(new String(zipEntry(old, AnomalyModel.INFO), java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotContain("topK", "mirrored", "scales", "centre", "spread");
            assertThat(older.info().topK()).isEqualTo(1);
            assertThat(older.info().mirrored()).isFalse();
            assertThat(older.info().scales()).isEmpty();
            assertThat(older.info()).isEqualTo(current.info());
            assertThat(three.info().topK()).isEqualTo(3);
            BufferedImage blob = withBlob(100);
            double largest = older.score(blob).score();
            assertThat(largest).isEqualTo(current.score(blob).score());
            // the mean of the three largest patches lies below the largest one on a blob a few patches wide
            assertThat(three.score(blob).score()).isLessThan(largest).isGreaterThan(0.5 * largest);
        }
    }

    /**
     * The demo's own defect detector (1 grey channel in, stage widths 32 and 64) tapped at its stride-8 and stride-16 stages
     * by training/anomaly/tap_backbone.py with {@code --input mono01}; training/tests/test_tap_backbone.py rebuilds
     * this file byte for byte.
     */
    private static byte[] monoDetectorBackbone() throws IOException {
        try (var in = AnomalyModelTest.class.getResourceAsStream("demo-detector-taps.onnx")) {
            assertThat(in).as("test resource demo-detector-taps.onnx").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void learnWithAMonochromeDetectorAsItsBackboneAndFindTheBlob(@TempDir Path tmp) throws Exception {
        List<Path> good = goodTextures(tmp, 12);
        AnomalyLearner.Options o = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 0.01, 0.25, 2000, 4, 32,
                7L, 2);
        Path file = tmp.resolve("mono.anomaly");
        AnomalyModelInfo info = AnomalyLearner.learn(monoDetectorBackbone(), "demo-detector-taps.onnx", good, o, file,
                (stage, done, total) -> { });

        assertThat(info.layers()).containsExactly("s8", "s16");
        assertThat(info.featureDim()).isEqualTo(32 + 64); // the demo detector's stage widths, not MobileNetV2's 32 + 96
        try (AnomalyModel m = AnomalyModel.open(file, 2)) {
            AnomalyResult blob = m.score(withBlob(100));
            AnomalyResult plain = m.score(texture(101));
            assertThat(blob.anomalous()).as("blob %s vs threshold %s", blob.score(), info.threshold()).isTrue();
            // a threshold from the 3 held-out textures is no verdict on one more good texture; the margin is
            assertThat(blob.score()).as("blob vs good texture").isGreaterThan(1.5 * plain.score());
            int[] peak = blob.peak();
            assertThat(Math.hypot(peak[0] - BLOB_X, peak[1] - BLOB_Y)).as("map peak %s,%s vs blob", peak[0], peak[1])
                    .isLessThan(BLOB_R + 8);
        }
    }

    @Test
    void refuseABackboneWhoseInputKindItDoesNotKnow(@TempDir Path tmp) throws Exception {
        byte[] onnx = monoDetectorBackbone();
        byte[] value = "mono01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(onnx, value);
        assertThat(at).as("metadata value mono01 in the fixture").isNotNegative();
        byte[] altered = onnx.clone();
        System.arraycopy("rgb255".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, altered, at, value.length);

        assertThatThrownBy(() -> AnomalyLearner.learn(altered, "odd-input.onnx", goodTextures(tmp, 4),
                new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 0.01, 0.25, 2000, 4, 32, 7L, 2),
                tmp.resolve("x.anomaly"), (stage, done, total) -> { }))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("odd-input.onnx: metadata 'linesight.input' is 'rgb255', expected imagenet or mono01");
        assertThat(tmp.resolve("x.anomaly")).doesNotExist();
    }

    @Test
    void feedAMonochromeBackboneTheGreyLevelScaledToOne() {
        BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 32; y++) {
                img.getRaster().setSample(x, y, 0, x < 32 ? 51 : 204);
            }
        }
        float[] grey = Backbone.grey(img, 64, 32, false);
        assertThat(grey).hasSize(64 * 32);
        assertThat(grey[0]).isCloseTo(0.2f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(grey[63]).isCloseTo(0.8f, org.assertj.core.data.Offset.offset(1e-4f));
        // standardised: mean 0.45, standard deviation 0.2, whatever the exposure
        float[] std = Backbone.grey(img, 64, 32, true);
        assertThat(std[0]).isCloseTo(0.25f, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(std[63]).isCloseTo(0.65f, org.assertj.core.data.Offset.offset(1e-3f));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void scoreAnImageByTheMeanOfItsLargestPatchDistances() {
        float[] d = {1, 9, 3, 7, 5};
        assertThat(AnomalyModel.imageScore(d, 1)).isEqualTo(9);
        assertThat(AnomalyModel.imageScore(d, 2)).isEqualTo(8);
        assertThat(AnomalyModel.imageScore(d, 3)).isEqualTo(7);
        assertThat(AnomalyModel.imageScore(d, 50)).isEqualTo(5);
        assertThat(d).containsExactly(1, 9, 3, 7, 5);
    }

    @Test
    void scoreOnTheTestsProviderAsOnCpu() throws Exception {
        // cpu here; benchmarks/gpu/run.sh runs this suite with -Dlinesight.test.provider=cuda on a GPU machine
        String requested = System.getProperty("linesight.test.provider", "cpu");
        io.linesight.config.recipe.ModelSpec.GpuSpec noFallback = new io.linesight.config.recipe.ModelSpec.GpuSpec(0,
                requested.equals("cpu"), "exhaustive", 0, "next-power-of-two", false, null);
        try (AnomalyModel cpu = AnomalyModel.open(modelFile, 1);
             AnomalyModel there = AnomalyModel.open(modelFile, 1, requested, noFallback)) {
            assertThat(cpu.provider()).isEqualTo("CPU");
            assertThat(cpu.searchProvider()).isEqualTo("CPU");
            assertThat(there.provider()).isEqualTo(switch (requested) {
                case "cuda" -> "CUDA";
                case "tensorrt" -> "TensorRT";
                default -> "CPU";
            });
            // on a GPU the bank search runs there too
            assertThat(there.searchProvider()).isEqualTo(there.provider());
            for (BufferedImage image : List.of(texture(200), withBlob(201))) {
                double expected = cpu.score(image).score();
                assertThat(there.score(image).score()).as("on %s", there.provider())
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3 * Math.max(1, expected)));
            }
        }
    }

    @Test
    void learnFromMirroredCopiesTooWhenAsked(@TempDir Path tmp) throws Exception {
        List<Path> good = goodTextures(tmp, 4);
        AnomalyLearner.Options plain = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 1, false, 0, List.of(), 0.01,
                1, 2000, 4, 32, 7L, 2);
        AnomalyLearner.Options mirror = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 1, true, 0, List.of(), 0.01,
                1, 2000, 4, 32, 7L, 2);
        AnomalyModelInfo a = AnomalyLearner.learn(AnomalyModel.bundledBackbone(), "b", good, plain,
                tmp.resolve("plain.anomaly"), (stage, done, total) -> { });
        AnomalyModelInfo b = AnomalyLearner.learn(AnomalyModel.bundledBackbone(), "b", good, mirror,
                tmp.resolve("mirror.anomaly"), (stage, done, total) -> { });
        int grid = (SIZE / 8) * (SIZE / 8);
        assertThat(a.patchesSeen()).isEqualTo(3L * grid);
        assertThat(b.patchesSeen()).isEqualTo(2 * 3L * grid);
        assertThat(b.mirrored()).isTrue();
        assertThat(b.learnedFrom()).isEqualTo(a.learnedFrom());
        try (AnomalyModel m = AnomalyModel.open(tmp.resolve("mirror.anomaly"), 1)) {
            assertThat(m.info().mirrored()).isTrue();
        }
    }

    /** A bright plate with a dark hole on a dark background, its top-left corner at (x, y), with sensor noise. */
    static BufferedImage plateAt(int x, int y, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                boolean plate = px >= x && px < x + 64 && py >= y && py < y + 64;
                boolean hole = Math.hypot(px - (x + 20), py - (y + 20)) < 8;
                double v = (plate && !hole ? 170 : 40) + r.nextGaussian() * 3;
                img.getRaster().setSample(px, py, 0, (int) Math.max(0, Math.min(255, v)));
            }
        }
        return img;
    }

    @Test
    void aPartSittingWhereNoLearningPartSat_scoresAsGoodWhenTheBankLearnedShiftedCopies(@TempDir Path tmp)
            throws Exception {
        // every learning part sat at the same place; the fixture lets a part sit 12 px further right and down
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path p = tmp.resolve("plate-" + i + ".png");
            ImageIO.write(plateAt(32, 32, i), "png", p.toFile());
            good.add(p);
        }
        AnomalyLearner.Options still = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 1, false, 0,
                List.of(), 0.01, 1, 4000, 3, 32, 7L, 2);
        AnomalyLearner.Options shifting = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 1, false, 12,
                List.of(), 0.01, 1, 4000, 3, 32, 7L, 2);
        AnomalyModelInfo a = AnomalyLearner.learn(AnomalyModel.bundledBackbone(), "b", good, still,
                tmp.resolve("still.anomaly"), (stage, done, total) -> { });
        AnomalyModelInfo b = AnomalyLearner.learn(AnomalyModel.bundledBackbone(), "b", good, shifting,
                tmp.resolve("shift.anomaly"), (stage, done, total) -> { });
        int grid = (SIZE / 8) * (SIZE / 8);
        assertThat(a.patchesSeen()).isEqualTo(4L * grid);
        assertThat(b.patchesSeen()).as("each bank image and eight moved copies").isEqualTo(9 * 4L * grid);
        assertThat(b.shift()).isEqualTo(12);

        BufferedImage movedPart = plateAt(44, 44, 99);
        BufferedImage samePlace = plateAt(32, 32, 98);
        try (AnomalyModel m = AnomalyModel.open(tmp.resolve("still.anomaly"), 1);
             AnomalyModel s = AnomalyModel.open(tmp.resolve("shift.anomaly"), 1)) {
            assertThat(s.info().shift()).as("kept in model.json").isEqualTo(12);
            assertThat(m.info().shift()).isZero();
            double stillMoved = m.score(movedPart, Double.POSITIVE_INFINITY).score();
            double shiftMoved = s.score(movedPart, Double.POSITIVE_INFINITY).score();
            double shiftSame = s.score(samePlace, Double.POSITIVE_INFINITY).score();
            assertThat(stillMoved).as("a good part where no learning part sat is an outlier to a bank that did not move")
                    .isGreaterThan(2 * m.score(samePlace, Double.POSITIVE_INFINITY).score());
            assertThat(shiftMoved).as("the bank with moved copies knows the part there (%s without them)", stillMoved)
                    .isLessThan(stillMoved / 2);
            assertThat(shiftMoved).as("and scores it like a part where the learning parts sat (%s)", shiftSame)
                    .isLessThan(2 * shiftSame);
        }
    }

    @Test
    void shiftedImagesFillTheUncoveredStripWithTheImageReflectedAtItsEdge() {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                img.getRaster().setSample(x, y, 0, 10 * y + x);
            }
        }
        BufferedImage right = AnomalyLearner.shifted(img, 2, 0);
        assertThat(right.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(right.getRaster().getSamples(0, 1, 4, 1, 0, (int[]) null)).containsExactly(12, 11, 10, 11);
        BufferedImage up = AnomalyLearner.shifted(img, 0, -1);
        assertThat(up.getRaster().getSamples(0, 0, 4, 1, 0, (int[]) null)).containsExactly(10, 11, 12, 13);
        assertThat(up.getRaster().getSamples(0, 2, 4, 1, 0, (int[]) null)).containsExactly(10, 11, 12, 13);
        assertThat(AnomalyLearner.shifted(img, -9, 0).getRaster().getSamples(0, 0, 4, 1, 0, (int[]) null))
                .as("moved further than the image is wide: reflected again at the far edge").containsExactly(3, 2, 1, 0);
    }

    @Test
    void refusesAShiftOutsideItsRange() {
        assertThatThrownBy(() -> new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 1, false, -1,
                List.of(), 0.01, 1, 4000, 3, 32, 7L, 2)).hasMessage("shift -1 must be 0..256 pixels");
        assertThatThrownBy(() -> new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 1, false, 257,
                List.of(), 0.01, 1, 4000, 3, 32, 7L, 2)).hasMessage("shift 257 must be 0..256 pixels");
    }

    @Test
    void scoreAtTwoScalesWithABankEachAndFindTheBlob(@TempDir Path tmp) throws Exception {
        List<Path> good = goodTextures(tmp, 12);
        AnomalyLearner.Options o = new AnomalyLearner.Options(List.of(), SIZE, SIZE, 1.0, false, 0, 3, false, 0,
                List.of(new AnomalyLearner.MoreScale(0.5, 0)), 0.01, 0.25, 2000, 4, 32, 7L, 2);
        Path file = tmp.resolve("two.anomaly");
        AnomalyModelInfo info = AnomalyLearner.learn(AnomalyModel.bundledBackbone(), "b", good, o, file,
                (stage, done, total) -> { });

        assertThat(info.scales()).hasSize(1);
        AnomalyModelInfo.Scale half = info.scales().getFirst();
        assertThat(half.scale()).isEqualTo(0.5);
        assertThat(half.patchesSeen()).isEqualTo(9L * (SIZE / 16) * (SIZE / 16));
        assertThat(info.patchesSeen()).isEqualTo(9L * (SIZE / 8) * (SIZE / 8));
        assertThat(info.spread()).isPositive();
        assertThat(half.spread()).isPositive();
        // the held-out scores are sums of two scales in units of their spread: they sit around 0, not at a distance
        double sum = info.calibrationScores().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(Math.abs(sum / info.calibrationScores().size())).isLessThan(2.0);
        assertThat(info.threshold()).isEqualTo(info.calibrationScores().getLast());
        assertThat(zipEntry(file, "bank-1.f32")).hasSize(half.bankSize() * info.featureDim() * Float.BYTES);

        try (AnomalyModel m = AnomalyModel.open(file, 2)) {
            assertThat(m.info()).isEqualTo(info);
            AnomalyResult blob = m.score(withBlob(100));
            AnomalyResult plain = m.score(texture(101));
            assertThat(blob.anomalous()).as("blob %s vs threshold %s", blob.score(), info.threshold()).isTrue();
            assertThat(plain.score()).isLessThan(blob.score() - 3);
            assertThat(blob.gridWidth()).isEqualTo(SIZE / 8);
            int[] peak = blob.peak();
            assertThat(Math.hypot(peak[0] - BLOB_X, peak[1] - BLOB_Y)).as("map peak %s,%s vs blob", peak[0], peak[1])
                    .isLessThan(BLOB_R + 8);
        }
        Path noSecondBank = tmp.resolve("no-second-bank.anomaly");
        rewriteWithout(file, noSecondBank, "bank-1.f32");
        assertThatThrownBy(() -> AnomalyModel.open(noSecondBank, 1)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("no-second-bank.anomaly!bank-1.f32: missing");
    }

    @Test
    void refuseAScalesEntryWithoutASpreadNamingIt() {
        String rest = new String(learnedJson(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"scales\": []", "\"scales\": [{\"scale\": 1.0, \"border\": 4, \"bankSize\": 5, "
                        + "\"patchesSeen\": 9, \"centre\": 1.0}]");
        assertThatThrownBy(() -> AnomalyModelInfo.fromJson(rest, "m.anomaly!model.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m.anomaly!model.json: scales[0]: field 'spread' is missing");
    }

    @Test
    void readsModelJsonWithACharacterOfTwoUtf16UnitsWhereverItFalls() {
        String json = new String(learnedJson(), java.nio.charset.StandardCharsets.UTF_8);
        int at = json.indexOf("\"backbone\": \"") + "\"backbone\": \"".length();
        for (int emojiAt : new int[] {1023, 1024, 2049}) {
            String name = "b".repeat(emojiAt - at) + "\uD83D\uDE00";
            String edited = json.substring(0, at) + name + json.substring(json.indexOf('"', at));
            assertThat(AnomalyModelInfo.fromJson(edited, "m.anomaly!model.json").backbone()).isEqualTo(name);
        }
    }

    private byte[] learnedJson() {
        try {
            return zipEntry(modelFile, AnomalyModel.INFO);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void rewriteWithout(Path from, Path to, String entry) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             OutputStream os = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                if (!e.getName().equals(entry)) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(b);
                    out.closeEntry();
                }
            }
        }
    }

    @Test
    void mirrorAnImageLeftToRight() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 1, 0, 200);
        BufferedImage m = AnomalyLearner.mirrored(img);
        assertThat(m.getRaster().getSample(2, 1, 0)).isEqualTo(200);
        assertThat(m.getRaster().getSample(0, 1, 0)).isZero();
    }

    private static List<Path> goodTextures(Path in, int n) throws IOException {
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = in.resolve("good-" + i + ".png");
            ImageIO.write(texture(i), "png", p.toFile());
            good.add(p);
        }
        return good;
    }

    private static byte[] zipEntry(Path file, String entry) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(entry)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new IOException(file + ": no entry " + entry);
    }

    static void rewrite(Path from, Path to, String entry, java.util.function.UnaryOperator<byte[]> change)
            throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             OutputStream os = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(entry) ? change.apply(b) : b);
                out.closeEntry();
            }
        }
    }

    @Test
    @DisplayName("refuse a learning image whose header claims hundreds of samples a pixel, naming the file, before decoding it")
    void refusesAnImageWithAnAbsurdSampleLayout(@TempDir Path tmp) throws IOException {
        Path tiff = tmp.resolve("many-samples.tif");
        try (var in = getClass().getResourceAsStream(
                "/io/linesight/inference/onnx/FrameImagesFuzzTestInputs/read/tiff-claiming-288-samples.tif")) {
            Files.write(tiff, in.readAllBytes());
        }

        List<Path> images = new ArrayList<>(goodTextures(tmp, 3));
        images.add(tiff);
        assertThatThrownBy(() -> AnomalyLearner.learn(AnomalyModel.bundledBackbone(), AnomalyModel.BUNDLED_BACKBONE, images,
                new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 0.01, 0.25, 2000, 4, 32, 7L, 2),
                tmp.resolve("x.anomaly"), (stage, done, total) -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(tiff + ": 288 samples a pixel");
        assertThat(tmp.resolve("x.anomaly")).doesNotExist();
    }
}
