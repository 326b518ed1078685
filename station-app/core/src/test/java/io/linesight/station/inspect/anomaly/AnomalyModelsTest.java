/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.anomaly.AnomalyLearner;
import io.linesight.inference.onnx.anomaly.AnomalyModel;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.Part;
import io.linesight.station.part.ShotFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A recipe's anomaly models on parts: a score per shot, a region in frame pixels, and never a silent pass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("a recipe's anomaly models should")
class AnomalyModelsTest {
    static final int FRAME = 160;
    /** The model looks at a 96x96 region at (40, 30) of the 160x160 frame. */
    static final String RECIPE = """
            name: tile
            rules: []
            shots:
              - {name: top, camera: top, exposureUs: 1000,
                 anomaly: {model: top.anomaly, allowUnevaluated: true, roi: {x: 40, y: 30, width: 96, height: 96}%s}}
            """;

    private Path dir;

    /** Grey 120 with a fine horizontal grain and noise; a dark spot at (x, y) when {@code spot}. */
    static byte[] frame(long seed, boolean spot, int sx, int sy) {
        Random r = new Random(seed);
        byte[] px = new byte[FRAME * FRAME];
        for (int y = 0; y < FRAME; y++) {
            for (int x = 0; x < FRAME; x++) {
                double v = 120 + 20 * Math.sin(y * 0.8 + seed) + r.nextGaussian() * 5;
                if (spot && Math.hypot(x - sx, y - sy) < 7) {
                    v = 25;
                }
                px[y * FRAME + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return px;
    }

    @BeforeAll
    void learn(@TempDir Path tmp) throws Exception {
        dir = tmp;
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] px = frame(i, false, 0, 0);
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(96, 96, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 96; y++) {
                img.getRaster().setDataElements(0, y, 96, 1, java.util.Arrays.copyOfRange(px, (30 + y) * FRAME + 40,
                        (30 + y) * FRAME + 136));
            }
            Path p = dir.resolve("good-" + i + ".png");
            ImageIO.write(img, "png", p.toFile());
            good.add(p);
        }
        AnomalyLearner.learn(AnomalyModel.bundledBackbone(), AnomalyModel.BUNDLED_BACKBONE, good,
                new AnomalyLearner.Options(List.of(), 96, 96, 0, false, 0, 0.01, 0.5, 2000, 5, 32, 3L, 2),
                dir.resolve("top.anomaly"), (stage, done, total) -> { });
    }

    AnomalyModels load(String more) throws Exception {
        Recipe r = RecipeLoader.parse(RECIPE.formatted(more), "tile.yaml", dir, null);
        return AnomalyModels.load(r, dir, 1);
    }

    static AcquiredPart part(String shot, byte[] px, int size) {
        return new AcquiredPart(Part.triggeredNow("P-1", 1000), null,
                List.of(new ShotFrame(shot, "top", FrameImages.mono8Frame(px, size, size))), 0);
    }

    @Test
    void findTheSpotInsideTheRoi_withItsRegionInFramePixels_andPassAGoodFrame() throws Exception {
        try (AnomalyModels models = load(", threshold: 0.0001")) {
            double threshold;
            try (AcquiredPart good = part("top", frame(50, false, 0, 0), FRAME)) {
                ShotAnomaly g = models.run(0, good).found().getFirst();
                threshold = g.score() * 1.3;
                assertThat(g.area()).isEqualTo(new ShotAnomaly.Box(40, 30, 96, 96));
            }
            try (AnomalyModels tuned = load(", threshold: " + threshold);
                 AcquiredPart spot = part("top", frame(51, true, 100, 70), FRAME);
                 AcquiredPart good = part("top", frame(52, false, 0, 0), FRAME)) {
                AnomalyModels.Outcome bad = tuned.run(0, spot);
                assertThat(bad.errors()).isEmpty();
                ShotAnomaly a = bad.found().getFirst();
                assertThat(a.anomalous()).as("score %s, threshold %s", a.score(), a.threshold()).isTrue();
                ShotAnomaly.Box b = a.region();
                assertThat(b.x() <= 100 && 100 < b.x() + b.width() && b.y() <= 70 && 70 < b.y() + b.height())
                        .as("region %s holds the spot at (100, 70) of the frame", b).isTrue();
                assertThat(tuned.run(0, good).found().getFirst().anomalous()).isFalse();
            }
        }
    }

    @Test
    void aModelAskedToRunOnCudaWhereCudaCannotStart_runsOnCpu_andSaysSoForTheAlarm() throws Exception {
        // this build's ONNX Runtime has no CUDA provider: the same fall-back a station meets without a GPU or driver
        try (AnomalyModels cpu = load(", threshold: 0.0001");
             AnomalyModels cuda = load(", threshold: 0.0001, provider: cuda");
             AcquiredPart good = part("top", frame(70, false, 0, 0), FRAME)) {
            assertThat(cpu.onCpuAgainstTheRecipe()).isEmpty();
            assertThat(cuda.onCpuAgainstTheRecipe()).containsExactly(
                    "anomaly model top.anomaly of shot top: the recipe asks for cuda, it runs on CPU");
            assertThat(cuda.run(0, good).found().getFirst().score()).as("the same model, the same score")
                    .isEqualTo(cpu.run(0, good).found().getFirst().score());
        }
    }

    @Test
    void aModelThatMustRunOnCudaWhereCudaCannotStart_isRefused_namingTheFile() {
        assertThatThrownBy(() -> load(", provider: cuda, gpu: {cpuFallback: false}"))
                .isInstanceOf(io.linesight.inference.api.InferenceException.class)
                .hasMessageContaining("top.anomaly!backbone.onnx: the recipe demands CUDA (anomaly.gpu.cpuFallback: false)");
    }

    @Test
    void aModelThatCannotScoreTheFrame_orAMissingShot_isAnInferenceErrorNamingTheModel() throws Exception {
        try (AnomalyModels models = load("");
             AcquiredPart small = part("top", frame(60, false, 0, 0), 64);
             AcquiredPart other = part("side", frame(61, false, 0, 0), FRAME)) {
            AnomalyModels.Outcome tooSmall = models.run(0, small);
            assertThat(tooSmall.found()).isEmpty();
            assertThat(tooSmall.errors()).singleElement().satisfies(r -> {
                assertThat(r.code()).isEqualTo(ReasonCode.INFERENCE_ERROR);
                assertThat(r.detail()).startsWith("anomaly model top.anomaly: ").contains("does not fit the 64x64 frame");
            });
            assertThat(models.run(0, other).errors()).singleElement().extracting(r -> r.detail())
                    .isEqualTo("anomaly model top.anomaly: the part has no image of this shot");
        }
    }

    @Test
    void aRecipeLoadedForItsRulesAlone_opensNoAnomalySessions() throws Exception {
        // the HMI's preview loads recipes with no workers: it judges archived parts by their rules
        Recipe r = RecipeLoader.parse(RECIPE.formatted(""), "tile.yaml", dir, null);
        try (AnomalyModels none = AnomalyModels.load(r, dir, 0)) {
            assertThat(none.isEmpty()).isTrue();
        }
    }

    @Test
    void aTargetFalseRejectRateForAModelWithoutHeldOutScores_isRefused_namingFileShotAndSetting() throws Exception {
        Path model = dir.resolve("top.anomaly");
        Path kept = Files.copy(model, dir.resolve("kept-frr.anomaly"));
        try {
            // a model file written by hand (or by an old learner): no held-out good scores to set a threshold from
            try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(model)) {
                Path json = zip.getPath("model.json");
                String text = Files.readString(json).replaceAll("\"calibrationScores\"\\s*:\\s*\\[[^\\]]*\\]",
                        "\"calibrationScores\": []");
                Files.writeString(json, text);
            }
            assertThatThrownBy(() -> load(", targetFrr: 0.01")).isInstanceOf(InferenceException.class)
                    .hasMessageContaining("top.anomaly").hasMessageContaining("anomaly.targetFrr of shot top");
        } finally {
            Files.move(kept, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aModelFileBrokenAfterTheRecipeWasChecked_refusesToLoad_namingTheFile() throws Exception {
        Recipe r = RecipeLoader.parse(RECIPE.formatted(""), "tile.yaml", dir, null);
        Path model = dir.resolve("top.anomaly");
        Path kept = Files.copy(model, dir.resolve("kept.anomaly"));
        try {
            Files.writeString(model, "not a model");
            assertThatThrownBy(() -> AnomalyModels.load(r, dir, 2)).isInstanceOf(InferenceException.class)
                    .hasMessageContaining("top.anomaly");
        } finally {
            Files.move(kept, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
