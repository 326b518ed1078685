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

    private static void rewrite(Path from, Path to, String entry, java.util.function.UnaryOperator<byte[]> change)
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
}
