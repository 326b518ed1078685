/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.bind.YamlWriter;
import io.linesight.config.recipe.AnomalySpec;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("a shot's anomaly section should reach the station checked, or be refused naming file, line and field")
class AnomalySectionTest {
    static final String RECIPE = """
            name: tile
            shots:
              - name: top
                camera: top
                exposureUs: 1000
                anomaly:
                  model: models/top.anomaly
            %s
            rules: []
            """;

    @TempDir
    Path dir;

    StationConfig station() throws Exception {
        return StationConfigLoader.parse(RecipeLoaderTest.STATION, "station.yaml", dir).config();
    }

    Path model(boolean evaluated) throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Path m = dir.resolve("models/top.anomaly");
        try (OutputStream os = Files.newOutputStream(m); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry("model.json"));
            zip.write("{\"format\": \"linesight-anomaly/1\"}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        if (evaluated) {
            Files.writeString(EvaluationRecord.fileFor(m), "{\"sha256\": \"" + EvaluationRecord.sha256(m) + "\"}");
        }
        return m;
    }

    Recipe load(String more) throws Exception {
        Path file = dir.resolve("tile.yaml");
        Files.writeString(file, RECIPE.formatted(more.indent(6).stripTrailing()));
        return RecipeLoader.load(file, "recipes/tile.yaml", dir, station());
    }

    ConfigException refused(String more) {
        return catchThrowableOfType(ConfigException.class, () -> load(more));
    }

    @Test
    void evaluatedModelWithRoiMaskAndTargetFrr_loadsAndSavesBackEqual() throws Exception {
        model(true);
        ImageIO.write(new BufferedImage(640, 480, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("mask.png").toFile());
        Recipe r = load("targetFrr: 0.02\nroi: {x: 10, y: 20, width: 300, height: 200}\nmask: mask.png");
        AnomalySpec a = r.shots().getFirst().anomaly();
        assertThat(a).isNotNull();
        assertThat(a.targetFrr()).isEqualTo(0.02);
        assertThat(a.threshold()).isNull();
        assertThat(a.roi().width()).isEqualTo(300);
        assertThat(a.threads()).isEqualTo(1);
        Path copy = dir.resolve("copy.yaml");
        Files.writeString(copy, YamlWriter.write(r));
        assertThat(RecipeLoader.load(copy, "copy.yaml", dir, station())).isEqualTo(r);
    }

    @Test
    void missingModelFile_isNamedWithLineAndPath() throws Exception {
        ConfigException e = refused("");
        assertThat(e.errors()).singleElement().extracting(ConfigError::toString).asString()
                .startsWith("recipes/tile.yaml:7 shots[0].anomaly.model: models/top.anomaly");
    }

    @Test
    void fileThatIsNoAnomalyModel_isRefused() throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/top.anomaly"), "not a zip");
        ConfigException e = refused("allowUnevaluated: true");
        assertThat(e.errors()).singleElement().extracting(ConfigError::toString).asString()
                .startsWith("recipes/tile.yaml:7 shots[0].anomaly.model: models/top.anomaly is not an anomaly model");
    }

    @Test
    void unevaluatedModel_isRefusedNamingEvalAnomalyRecord_unlessForced() throws Exception {
        model(false);
        ConfigException e = refused("");
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.path()).isEqualTo("shots[0].anomaly.model");
            assertThat(err.reason()).contains("has no evaluation record (top.anomaly.eval.json)")
                    .contains("./station eval-anomaly --model models/top.anomaly").contains("--record");
        });
        assertThat(load("allowUnevaluated: true").shots().getFirst().anomaly().allowUnevaluated()).isTrue();
    }

    @Test
    void unknownProvider_orAGpuDemandOnCpu_isRefusedNamingTheField() throws Exception {
        model(true);
        assertThat(refused("provider: gpu").errors()).singleElement().extracting(ConfigError::toString).asString()
                .startsWith("recipes/tile.yaml:8 shots[0].anomaly.provider: gpu must be one of: cpu, cuda, tensorrt");
        assertThat(refused("gpu: {cpuFallback: false}").errors()).singleElement().extracting(ConfigError::reason)
                .asString().contains("gpu.cpuFallback: false demands a GPU, but provider is cpu");
        AnomalySpec cuda = load("provider: cuda\ngpu: {deviceId: 1}").shots().getFirst().anomaly();
        assertThat(cuda.provider()).isEqualTo("cuda");
        assertThat(cuda.gpuOrDefaults().deviceId()).isEqualTo(1);
        assertThat(load("").shots().getFirst().anomaly().provider()).as("the default").isEqualTo("cpu");
    }

    @Test
    void nanOrInfiniteThreshold_isRefused() throws Exception {
        model(true);
        assertThat(refused("threshold: .nan").errors()).singleElement().extracting(ConfigError::toString).asString()
                .startsWith("recipes/tile.yaml:8 shots[0].anomaly.threshold: .nan must be a finite number");
        assertThat(refused("threshold: -.inf").errors()).singleElement().extracting(ConfigError::path)
                .isEqualTo("shots[0].anomaly.threshold");
    }

    @Test
    void thresholdAndTargetFrrTogether_orTargetFrrOutOfRange_areRefused() throws Exception {
        model(true);
        assertThat(refused("threshold: 1.5\ntargetFrr: 0.01").errors()).singleElement().extracting(ConfigError::reason)
                .asString().contains("give threshold or targetFrr, not both");
        assertThat(refused("targetFrr: 0.9").errors()).singleElement().extracting(ConfigError::toString)
                .asString().startsWith("recipes/tile.yaml:8 shots[0].anomaly.targetFrr: 0.9 must be");
    }

    @Test
    void roiOutsideTheFrameAndMaskOfAnotherSize_areRefused() throws Exception {
        model(true);
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("mask.png").toFile());
        ConfigException e = refused("roi: {x: 600, y: 0, width: 100, height: 100}\nmask: mask.png");
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "recipes/tile.yaml:8 shots[0].anomaly.roi: 600,0 100x100 must lie inside the 640x480 frame of camera top",
                "recipes/tile.yaml:9 shots[0].anomaly.mask: mask.png is 64x48, the frame of camera top is 640x480");
    }

    @Test
    void maskLeavingTheRecipeStore_isRefused() throws Exception {
        model(true);
        ConfigException e = refused("mask: ../../etc/passwd");
        assertThat(e.errors()).singleElement().extracting(ConfigError::path).isEqualTo("shots[0].anomaly.mask");
    }
}
