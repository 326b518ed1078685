/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.OnnxGraph;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NaN anomaly score compares false with every threshold, so a backbone or a memory bank that yields NaN would pass
 * every part. The backbone here is a real ONNX graph ({@link OnnxGraph}): the square root of the ImageNet-normalised
 * input averaged over 8x8 and 16x16 cells, a finite feature on bright surfaces and NaN wherever a cell is dark (a
 * negative input), as a user's backbone with an unguarded operator can do.
 */
@DisplayName("An anomaly model whose features or bank are not numbers should refuse, never score a part as good")
class NonFiniteFeaturesTest {
    private static final int SIZE = 64;
    private static final AnomalyLearner.Options OPTIONS =
            new AnomalyLearner.Options(List.of(), SIZE, SIZE, 0, false, 0, 0.01, 0.25, 2000, 4, 32, 7L, 1);

    private static byte[] sqrtBackbone() {
        return new OnnxGraph()
                .input("images", 1L, 3L, "h", "w")
                .output("s8", 1L, 3L, "h8", "w8")
                .output("s16", 1L, 3L, "h16", "w16")
                .node("AveragePool", List.of("images"), "p8", Map.of("kernel_shape", new long[] {8, 8}, "strides", new long[] {8, 8}))
                .node("Sqrt", List.of("p8"), "s8", Map.of())
                .node("AveragePool", List.of("images"), "p16", Map.of("kernel_shape", new long[] {16, 16}, "strides", new long[] {16, 16}))
                .node("Sqrt", List.of("p16"), "s16", Map.of())
                .model(Map.of("linesight.taps", "[{\"name\": \"s8\", \"stride\": 8}, {\"name\": \"s16\", \"stride\": 16}]",
                        "linesight.input", "imagenet"));
    }

    /** A bright noisy surface; with {@code darkSquare} a 24x24 black square at (16,16). */
    private static BufferedImage surface(int seed, boolean darkSquare) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(seed);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean dark = darkSquare && x >= 16 && x < 40 && y >= 16 && y < 40;
                img.getRaster().setSample(x, y, 0, dark ? 0 : 170 + r.nextInt(60));
            }
        }
        return img;
    }

    private static List<Path> good(Path dir, int n) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path p = dir.resolve("good-" + i + ".png");
            ImageIO.write(surface(i, false), "png", p.toFile());
            out.add(p);
        }
        return out;
    }

    @Test
    void anImageWhoseFeaturesAreNaN_isRefusedAtScoring_notPassed(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("sqrt.anomaly");
        AnomalyLearner.learn(sqrtBackbone(), "sqrt-taps.onnx", good(dir, 8), OPTIONS, model, (s, d, t) -> { });
        try (AnomalyModel m = AnomalyModel.open(model, 1)) {
            double goodScore = m.score(surface(100, false)).score();
            assertThat(goodScore).as("a good surface scores a number").isFinite();
            assertThatThrownBy(() -> m.score(surface(101, true), 1e9)).isInstanceOf(InferenceException.class)
                    .satisfies(e -> assertThat(((InferenceException) e).code()).isEqualTo(InferenceException.Code.RUN_FAILED))
                    .hasMessageContaining("sqrt.anomaly!backbone.onnx").hasMessageContaining("tap 's8'")
                    .hasMessageContaining("NaN or infinite");
        }
    }

    @Test
    void learningFromASetWithSuchAnImage_isRefusedNamingIt_andWritesNothing(@TempDir Path dir) throws Exception {
        List<Path> images = good(dir, 7);
        Path odd = dir.resolve("odd.png");
        ImageIO.write(surface(50, true), "png", odd.toFile());
        images.add(3, odd);
        Path model = dir.resolve("x.anomaly");
        assertThatThrownBy(() -> AnomalyLearner.learn(sqrtBackbone(), "sqrt-taps.onnx", images, OPTIONS, model,
                (s, d, t) -> { }))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining(odd.toString()).hasMessageContaining("NaN or infinite");
        assertThat(model).doesNotExist();
    }

    @Test
    void aBankRowThatIsNoNumber_isRefusedAtLoad_namingEntryAndRow(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("sqrt.anomaly");
        AnomalyLearner.learn(sqrtBackbone(), "sqrt-taps.onnx", good(dir, 8), OPTIONS, model, (s, d, t) -> { });
        Path bad = dir.resolve("nan-bank.anomaly");
        AnomalyModelTest.rewrite(model, bad, AnomalyModel.BANK, bytes -> {
            byte[] b = bytes.clone();
            int dim = 6; // 3 channels at each of the two taps
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat((2 * dim + 1) * Float.BYTES, Float.NaN);
            return b;
        });
        assertThatThrownBy(() -> AnomalyModel.open(bad, 1)).isInstanceOf(InferenceException.class)
                .hasMessageContaining("nan-bank.anomaly!bank.f32: row 2 holds NaN");
    }
}
