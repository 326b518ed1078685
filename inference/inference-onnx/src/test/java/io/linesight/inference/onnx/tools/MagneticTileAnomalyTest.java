/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * learn-good and eval-anomaly on a subset of the real magnetic-tile data (the repository's split, fewer images so it
 * runs in a build): an anomaly model learned from defect-free tiles only must rank defective tiles above good ones.
 */
@DisplayName("learn-good on magnetic tiles should")
class MagneticTileAnomalyTest {
    private static final Pattern ALL = Pattern.compile("(?m)^all\\s+(\\d+)\\s+([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void learnFromGoodTilesOnlyAndRankDefectiveTilesAboveGoodOnes() throws IOException {
        Path data = dataset();
        Path split = repoRoot().resolve("benchmarks/anomaly/magnetic-tile");
        Path learn = subset(split.resolve("learn.txt"), 100, "learn.txt");
        Path good = subset(split.resolve("eval-good.txt"), 40, "good.txt");
        Path defects = perClass(split.resolve("eval-defects.txt"), 8);

        ToolOutput l = new ToolOutput();
        int rc = LearnGoodTool.run(List.of("--images", learn.toString(), "--root", data.toString(), "--out",
                dir.resolve("tiles.anomaly").toString(), "--scale", "0.5", "--standardise", "--border", "2"), l.out, l.err);
        assertThat(rc).as(l.text()).isZero();
        assertThat(l.err()).contains("features", "coreset", "calibration", "(100 %)");
        assertThat(l.out()).contains("100 images (80 in the bank, 20 held out for the threshold)");

        ToolOutput e = new ToolOutput();
        rc = EvalAnomalyTool.run(List.of("--model", dir.resolve("tiles.anomaly").toString(), "--good", good.toString(),
                "--defects", defects.toString(), "--root", data.toString(), "--masks", "--scores",
                dir.resolve("scores/tiles.csv").toString()), e.out, e.err);
        assertThat(rc).as(e.text()).isZero();
        List<String> scores = Files.readAllLines(dir.resolve("scores/tiles.csv"));
        assertThat(scores.getFirst()).isEqualTo("image,class,score,anomalous");
        assertThat(scores).as("a line an image").hasSize(1 + Files.readAllLines(good).size() + Files.readAllLines(defects).size());
        assertThat(scores.subList(1, scores.size())).allMatch(line -> line.matches("[^,]+,(good|MT_\\w+),[0-9.]+,(true|false)"));
        assertThat(scores).filteredOn(line -> line.contains(",good,")).hasSize(Files.readAllLines(good).size());
        Matcher m = ALL.matcher(e.out());
        assertThat(m.find()).as(e.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(40);
        assertThat(Double.parseDouble(m.group(2))).as(e.out()).isGreaterThan(AUROC_BOUND);
        assertThat(e.out()).contains("MT_Blowhole", "MT_Break", "MT_Crack", "MT_Fray", "MT_Uneven", "pixel AUROC");
    }

    /**
     * Well above chance (0.5). Learning from 100 tiles with these options gave 0.86 on a larger subset (docs/MODELS.md,
     * ablation); the full split's figures are there too.
     */
    private static final double AUROC_BOUND = 0.75;

    private Path subset(Path list, int n, String name) throws IOException {
        List<String> lines = Files.readAllLines(list).stream().filter(s -> !s.startsWith("#") && !s.isBlank()).toList();
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picked.add(lines.get(i * lines.size() / n));
        }
        Path out = dir.resolve(name);
        Files.write(out, picked);
        return out;
    }

    private Path perClass(Path list, int n) throws IOException {
        List<String> lines = Files.readAllLines(list).stream().filter(s -> !s.startsWith("#") && !s.isBlank()).toList();
        List<String> picked = new ArrayList<>();
        for (String cls : List.of("MT_Blowhole", "MT_Break", "MT_Crack", "MT_Fray", "MT_Uneven")) {
            List<String> of = lines.stream().filter(s -> s.startsWith(cls + "/")).toList();
            for (int i = 0; i < n; i++) {
                picked.add(of.get(i * of.size() / n));
            }
        }
        Path out = dir.resolve("defects.txt");
        Files.write(out, picked);
        return out;
    }

    /** The magnetic-tile set from the shared fixtures; in CI its absence fails the test instead of skipping it. */
    static Path dataset() {
        String p = System.getProperty("linesight.shared", System.getenv("LINESIGHT_SHARED"));
        Path d = p == null ? null : Path.of(p, "datasets", "magnetic-tile");
        boolean present = d != null && Files.isDirectory(d.resolve("MT_Free"));
        if (!present && System.getenv("CI") != null) {
            fail("the magnetic-tile dataset (shared fixtures datasets/magnetic-tile) is missing; CI must have it");
        }
        Assumptions.assumeTrue(present, "magnetic-tile dataset absent: real-data anomaly check skipped");
        return d;
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no repository root (mvnw) above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
