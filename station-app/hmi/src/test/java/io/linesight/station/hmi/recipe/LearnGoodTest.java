/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.AnomalySpec;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.Roi;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.archive.ArchiveTesting;
import io.linesight.station.archive.ImageArchive;
import io.linesight.station.auth.AuditLog;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("learn good from the Recipes screen should put an anomaly model into a new version only once it is evaluated")
class LearnGoodTest {
    static final int W = 128;
    static final String RECIPE = """
            name: tile
            shots:
              - {name: top, camera: cam0, exposureUs: 1000}
            rules: []
            """;

    @TempDir
    Path dir;
    ResultsStore store;
    RecipeVersions versions;
    final Instant start = Instant.now().minus(1, ChronoUnit.HOURS);

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("tile.yaml"), RECIPE);
        store = ResultsStore.openSqlite(dir.resolve("data"), "l1", "s1");
        versions = new RecipeVersions(dir, new AuditLog(store, Clock.systemUTC()));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Grey grain with noise; a dark spot at a random place for a defective part. */
    static byte[] image(long seed, boolean defect) {
        Random r = new Random(seed);
        byte[] px = new byte[W * W];
        int sx = 20 + r.nextInt(W - 40);
        int sy = 20 + r.nextInt(W - 40);
        for (int y = 0; y < W; y++) {
            for (int x = 0; x < W; x++) {
                double v = 130 + 20 * Math.sin(y * 0.7 + seed) + r.nextGaussian() * 4;
                if (defect && Math.hypot(x - sx, y - sy) < 8) {
                    v = 30;
                }
                px[y * W + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        }
        return px;
    }

    /** Archives {@code parts} parts a minute apart from {@code start}; every {@code rejectEvery}-th defective (0: none). */
    void archive(int parts, int rejectEvery) {
        try (ImageArchive archive = new ImageArchive(dir.resolve("data/archive"), 64L << 20)) {
            for (int k = 0; k < parts; k++) {
                boolean bad = rejectEvery > 0 && k % rejectEvery == rejectEvery - 1;
                Verdict v = bad ? Verdict.Reject.of(ReasonCode.RULE_FAILED, "surface", "spot") : new Verdict.Pass(Map.of());
                Inspection i = new Inspection(new Part("P-" + k, 0, start.plusSeconds(60L * k), 1), k + 1, "tile@1", "", v,
                        List.of(), List.of(), List.of(), start.plusSeconds(60L * k), Timings.NONE, null);
                ArchiveTesting.enqueue(archive, i, "top", W, W, PixelFormat.MONO8, image(k, bad));
            }
        }
    }

    @Test
    void learnedAndEvaluatedModel_goesIntoTheNextVersion_withTheEvaluationsThreshold_audited() throws Exception {
        archive(45, 5);
        Recipe v1 = versions.load(dir.resolve("tile.yaml"));
        LearnGood.Result r = LearnGood.run(versions, dir.resolve("data/archive"), v1, "top", new Roi(0, 0, W, W), start,
                start.plusSeconds(60L * 45), "eve");

        assertThat(r.saved()).as(r.text()).isNotNull();
        assertThat(r.saved().label()).isEqualTo("tile@2");
        AnomalySpec a = r.saved().shot("top").anomaly();
        assertThat(a.model()).startsWith("models/tile-top-").endsWith(".anomaly");
        assertThat(a.threshold()).isPositive();
        Path model = dir.resolve(a.model());
        assertThat(EvaluationRecord.read(EvaluationRecord.fileFor(model)).sha256()).isEqualTo(EvaluationRecord.sha256(model));
        assertThat(r.text()).startsWith("saved tile@2: ").contains("image AUROC");
        assertThat(Files.readString(dir.resolve("tile.yaml"))).contains("anomaly:");
        assertThat(audit()).extracting(AuditRecord::action).containsSubsequence("anomaly-learn", "recipe-save");
        assertThat(audit().getLast().who()).isEqualTo("eve");
    }

    @Test
    void aShotWithAModelAlready_isLearnedAgainWithThatModelsSettings() throws Exception {
        Path images = Files.createDirectories(dir.resolve("first-images"));
        for (int k = 0; k < 8; k++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(W, W,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, W, W, image(100 + k, false));
            javax.imageio.ImageIO.write(img, "png", images.resolve("g" + k + ".png").toFile());
        }
        Files.createDirectories(dir.resolve("models"));
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(io.linesight.inference.onnx.tools.LearnGoodTool.run(List.of("--images", images.toString(), "--out",
                dir.resolve("models/first.anomaly").toString(), "--scale", "1.0", "--standardise", "--top-k", "2",
                "--shift", "5", "--threads", "1"), ps, ps)).as(log.toString()).isZero();
        Files.writeString(dir.resolve("tile.yaml"), RECIPE.replace("exposureUs: 1000}",
                "exposureUs: 1000, anomaly: {model: models/first.anomaly, allowUnevaluated: true}}"));
        archive(45, 5);
        Recipe v1 = versions.load(dir.resolve("tile.yaml"));
        LearnGood.Result r = LearnGood.run(versions, dir.resolve("data/archive"), v1, "top", null, start,
                start.plusSeconds(60L * 45), "eve");

        assertThat(r.saved()).as(r.text()).isNotNull();
        Path model = dir.resolve(r.saved().shot("top").anomaly().model());
        io.linesight.inference.onnx.anomaly.AnomalyModelInfo again =
                io.linesight.inference.onnx.anomaly.AnomalyModel.learning(model).info();
        assertThat(List.of(again.scale(), again.standardise(), again.topK(), again.shift()))
                .as("the running model's settings, not the defaults").isEqualTo(List.of(1.0, true, 2, 5));
        assertThat(again.learnedFrom()).as("learned from the archive's parts").allMatch(n -> !n.startsWith("g"));
    }

    @Test
    void withoutDefectivePartsToEvaluateOn_thereIsNoRecord_andNoNewVersion_refusalAudited() throws Exception {
        archive(30, 0);
        Recipe v1 = versions.load(dir.resolve("tile.yaml"));
        LearnGood.Result r = LearnGood.run(versions, dir.resolve("data/archive"), v1, "top", null, start,
                start.plusSeconds(60L * 30), "eve");

        assertThat(r.saved()).isNull();
        assertThat(r.text()).startsWith("no new version: the model has no evaluation record");
        assertThat(versions.load(dir.resolve("tile.yaml")).version()).isEqualTo(1);
        assertThat(audit().getLast().action()).isEqualTo("anomaly-learn-refused");
    }

    List<AuditRecord> audit() throws Exception {
        return versions.audit().entries();
    }
}
