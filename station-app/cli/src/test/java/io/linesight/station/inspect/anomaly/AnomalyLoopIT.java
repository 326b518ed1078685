/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.Roi;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.Station;
import io.linesight.station.cli.StationCli;
import io.linesight.station.stats.StationStats;
import io.linesight.station.testing.TestStations;
import io.linesight.station.timing.StageTimes;
import io.linesight.station.trigger.TimerTrigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The anomaly loop on a real station, with no label anywhere: the synthetic line's good parts are archived,
 * {@code learn-good --archive} learns from them, {@code eval-anomaly --record} judges the model on parts it never saw,
 * only then does a recipe accept it, and a station running that recipe (no rules, no detector) rejects the injected
 * defects as ANOMALY, with score and region in the PLC's reasons, the results store and the archive's side-car.
 */
@DisplayName("the anomaly loop: archive good parts → learn-good → eval-anomaly --record → recipe rejects defects as ANOMALY")
class AnomalyLoopIT {
    /** The plate with its holes, jitter included (camera-sim README: plate at (192, 205) ± 13, 896 x 614). */
    static final Roi PLATE = new Roi(176, 188, 928, 648);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Loads the demo station, keeping every good part in the archive. One camera throughout (one seed: the same sensor
     * noise); each run's parts are other parts, since the timer trigger's part ids carry the second.
     */
    LoadedStation station(double defectRate) throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 5000")
                .replace("defectRate: \"0.15\"", "defectRate: \"" + defectRate + "\"");
        LoadedStation loaded = TestStations.load(dir, yaml);
        Path recipe = loaded.recipeDir().resolve("bracket.yaml");
        Files.writeString(recipe, Files.readString(recipe).replace("okEveryN: 50", "okEveryN: 1"));
        return loaded;
    }

    /** The stage timings of the last {@link #run}. */
    Map<StageTimes.Stage, StageTimes.Totals> stages = Map.of();

    StationStats.Snapshot run(LoadedStation loaded, Recipe recipe, int parts, double rateHz) throws Exception {
        try (Station station = Station.start(loaded, recipe, null, dir.resolve("data"))) {
            try (TimerTrigger trigger = new TimerTrigger(rateHz, parts, station::trigger)) {
                trigger.awaitDone();
            }
            assertThat(station.awaitIdle(60_000)).as("all parts decided").isTrue();
            stages = station.stats().stages().snapshot();
            return station.stats().snapshot();
        } // closing writes what the archive has queued
    }

    static int cli(StringBuilder output, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
            System.setOut(ps);
            System.setErr(ps);
            return new CommandLine(new StationCli()).execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            output.append(buf.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void goodPartsFromTheArchive_learnedEvaluatedAndRecorded_recipeRejectsUnseenDefectsAsAnomaly() throws Exception {
        Instant start = Instant.now();
        // the bank must hold the plate at every position the line's jitter puts it: some 70 good parts
        LoadedStation first = station(0.1);
        StationStats.Snapshot learnRun = run(first, TestStations.recipe(first), 80, 8);
        Thread.sleep(1100); // the timer trigger's part ids carry the second: the next run's parts are other parts
        Instant learnedUntil = Instant.now();
        LoadedStation second = station(0.3);
        // the 1 % threshold is the highest good score the evaluation saw: with some 70 good parts there, the chance
        // that 3 of the line's ~28 good parts score above all of them is about 2 % (with 28, as before, it was 12 %)
        StationStats.Snapshot evalRun = run(second, TestStations.recipe(second), 100, 8);
        Instant evaluatedUntil = Instant.now();
        assertThat(learnRun.escapes() + learnRun.overkill() + evalRun.escapes() + evalRun.overkill())
                .as("the demo rules tell good from defective parts, so PASS images are good ones").isZero();

        Path data = dir.resolve("data");
        Path model = first.recipeDir().resolve("models/bright.anomaly");
        String roi = PLATE.x() + "," + PLATE.y() + "," + PLATE.width() + "," + PLATE.height();
        StringBuilder out = new StringBuilder();
        // the fixture lets the plate sit up to 13 px off in x and y: each good part is also learned moved that far, so
        // a good part in a corner of that square where none of the ~60 learning parts happened to sit is no outlier
        // (without it one such part once set the evaluation's 1 % threshold above two defects)
        int rc = cli(out, "learn-good", "--archive", data.toString(), "--shot", "bright", "--since", start.toString(),
                "--until", learnedUntil.toString(), "--roi", roi, "--out", model.toString(), "--coreset", "0.25",
                "--max-bank", "4000", "--shift", "13", "--threads", "2");
        assertThat(rc).as(out.toString()).isZero();
        assertThat(out.toString()).contains(learnRun.passed() + " PASS images of shot bright").contains("learned ");
        System.out.println(out);

        Path anomalyRecipe = first.recipeDir().resolve("anomaly.yaml");
        String recipeText = """
                name: anomaly
                shots:
                  - name: bright
                    camera: top
                    exposureUs: 1000
                    light: {controller: ring, channel: 1, intensityPct: 80, pulseUs: 200}
                    anomaly:
                      model: models/bright.anomaly
                      roi: {x: %d, y: %d, width: %d, height: %d}
                rules: []
                archive: {rejects: true, okEveryN: 1}
                """.formatted(PLATE.x(), PLATE.y(), PLATE.width(), PLATE.height());
        Files.writeString(anomalyRecipe, recipeText);
        assertThat(loadError(anomalyRecipe, first)).as("a model nobody evaluated stays off the line")
                .contains("shots[0].anomaly.model").contains("has no evaluation record");

        // evaluated on the second run's parts, which the model never saw, cut to the recipe's ROI like on the line:
        // PASS parts as the good images, REJECT parts (the demo rules catch every defect) as the defective ones
        StringBuilder eval = new StringBuilder();
        rc = cli(eval, "eval-anomaly", "--archive", data.toString(), "--shot", "bright", "--since", learnedUntil.toString(),
                "--until", evaluatedUntil.toString(), "--roi", roi, "--model", model.toString(), "--record", "--threads", "2",
                "--scores", dir.resolve("eval-scores.csv").toString());
        String evalText = eval.toString() + "highest good scores: " + highestGoodScores(dir.resolve("eval-scores.csv"), 3)
                + "\n";
        assertThat(rc).as(evalText).isZero();
        assertThat(evalText).contains(evalRun.passed() + " PASS images of shot bright")
                .contains(evalRun.rejected() + " REJECT images of shot bright");
        assertThat(evalRun.rejected()).as("defective parts to evaluate on").isGreaterThanOrEqualTo(5);
        System.out.println(evalText);
        JsonNode record = JSON.readTree(EvaluationRecord.fileFor(model).toFile());
        assertThat(record.path("sha256").asText()).isEqualTo(EvaluationRecord.sha256(model));
        assertThat(record.path("imageAuroc").asDouble()).as(evalText).isGreaterThan(0.95);
        assertThat(loadError(anomalyRecipe, first)).isEqualTo("OK");
        // The model's own threshold comes from the few good images it held out while learning; the evaluation saw
        // more good parts it never learned from, and its 1 % threshold is what the engineer puts into the recipe.
        double threshold = record.path("thresholdAt1pctFrr").asDouble();
        assertThat(threshold).isPositive();
        Files.writeString(anomalyRecipe, recipeText.replace("roi: {", "threshold: " + threshold + "\n      roi: {"));

        // the line: new parts, judged by the anomaly model alone
        LoadedStation third = station(0.3);
        Recipe recipe = RecipeLoader.load(anomalyRecipe, "anomaly.yaml", third.recipeDir(), third.config());
        Instant lineStart = Instant.now();
        // slower: each part's anomaly model takes a backbone pass and a bank search on these 2 cores
        StationStats.Snapshot line = run(third, recipe, 40, 3);
        assertThat(line.truthDefective()).as("the line made defective parts: %s", line).isGreaterThanOrEqualTo(5);
        assertThat(line.escapes()).as("defective parts that passed (%s)", evalText).isZero();
        // With fewer than 100 good images the 1 % threshold is the largest good score of the evaluation: a new good
        // part is above it about one time in as many good images, so a few of these good parts may be (measured:
        // 3 of 32 once with 71 good images). Five or more of 32 happen by chance one run in about 400.
        assertThat(line.overkill()).as("good parts rejected, of %s (%s)", line.parts() - line.truthDefective(), evalText)
                .isLessThanOrEqualTo(4);
        assertThat(line.rejectsByReason().keySet()).containsOnly(ReasonCode.ANOMALY);
        // the anomaly models' time is a stage of its own (status, bench, Diagnostics), one run per inspected part
        assertThat(stages.get(StageTimes.Stage.ANOMALY).count()).as("anomaly stage runs, of %s parts imaged", line.imaged())
                .isBetween(line.imaged() - line.timeouts(), line.imaged()).isPositive();
        assertThat(stages.get(StageTimes.Stage.ANOMALY).cpuNanos()).as("anomaly stage CPU time").isPositive();

        // the reason carries score and region to the store; the side-car keeps the map, and the region finds the defect
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("results.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT reasons FROM verdicts WHERE recipe LIKE 'anomaly%'"
                     + " AND result = 'REJECT'")) {
            int n = 0;
            while (rs.next()) {
                JsonNode why = JSON.readTree(rs.getString(1)).get(0);
                assertThat(why.path("code").asText()).isEqualTo("ANOMALY");
                assertThat(why.path("detail").asText()).matches("score [0-9.]+ > [0-9.]+ at bright \\(\\d+,\\d+ \\d+x\\d+ px\\)");
                n++;
            }
            assertThat(n).isEqualTo(line.rejected());
        }
        int found = 0;
        int checked = 0;
        for (JsonNode side : sideCars(data.resolve("archive"), lineStart)) {
            if (!side.path("result").asText().equals("REJECT") || side.path("truth").isEmpty()) {
                continue;
            }
            JsonNode a = side.path("anomalies").get(0);
            assertThat(a.path("shot").asText()).isEqualTo("bright");
            assertThat(a.path("map").size()).isEqualTo(a.path("gridWidth").asInt() * a.path("gridHeight").asInt());
            JsonNode t = side.path("truth").get(0).path("box");
            checked++;
            if (overlaps(a.path("region"), t)) {
                found++;
            }
        }
        assertThat(checked).isEqualTo(line.truthDefective());
        assertThat(found).as("regions on the defect's truth box").isGreaterThanOrEqualTo(checked - 1);

        // the same model with the recipe's other two settings: the threshold for a target false-reject rate (from the
        // good images the model held out while learning) and a mask that leaves the plate's right half out
        double expected;
        try (var m = io.linesight.inference.onnx.anomaly.AnomalyModel.open(model, 1)) {
            expected = m.info().thresholdFor(0.1);
            assertThat(expected).as("10 %% of its held-out good images above: not the model's own 1 %% threshold")
                    .isLessThan(m.info().threshold());
        }
        int maskFromX = PLATE.x() + PLATE.width() / 2;
        java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(1280, 1024,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = mask.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(maskFromX, 0, 1280 - maskFromX, 1024);
        g.dispose();
        Files.createDirectories(first.recipeDir().resolve("masks"));
        javax.imageio.ImageIO.write(mask, "png", first.recipeDir().resolve("masks/right-half.png").toFile());
        Files.writeString(anomalyRecipe, recipeText.replace("roi: {", "targetFrr: 0.1\n      mask: masks/right-half.png\n      roi: {"));
        LoadedStation fourth = station(0.3);
        Recipe masked = RecipeLoader.load(anomalyRecipe, "anomaly.yaml", fourth.recipeDir(), fourth.config());
        Thread.sleep(1100); // other parts than the last run's
        Instant maskedStart = Instant.now();
        StationStats.Snapshot maskedRun = run(fourth, masked, 40, 3);
        int inRightHalf = 0;
        for (JsonNode side : sideCars(data.resolve("archive"), maskedStart)) {
            JsonNode a = side.path("anomalies").get(0);
            assertThat(a.path("threshold").asDouble()).as("the threshold for targetFrr 0.1")
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
            JsonNode region = a.path("region");
            if (side.path("result").asText().equals("REJECT")) {
                assertThat(region.path("x").asInt()).as("a rejected part's region starts left of the mask: %s", side)
                        .isLessThan(maskFromX);
            }
            JsonNode truth = side.path("truth");
            if (!truth.isEmpty() && truth.get(0).path("box").path(0).asDouble() >= maskFromX) {
                inRightHalf++;
                assertThat(!region.isMissingNode() && !region.isNull() && overlaps(region, truth.get(0).path("box")))
                        .as("a defect under the mask is not found there: %s", side).isFalse();
            }
        }
        assertThat(maskedRun.truthDefective()).as("defective parts in the masked run").isGreaterThanOrEqualTo(5);
        assertThat(inRightHalf).as("defects wholly under the mask, of %s defective parts", maskedRun.truthDefective())
                .isPositive();
        assertThat(maskedRun.rejectsByReason().keySet()).as("rejects of the masked run").containsOnly(ReasonCode.ANOMALY);
    }

    /** The {@code n} highest scores of good images in an {@code eval-anomaly --scores} file, with their images. */
    static String highestGoodScores(Path csv, int n) throws Exception {
        return Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")).filter(f -> f[1].equals("good"))
                .sorted(java.util.Comparator.comparingDouble((String[] f) -> Double.parseDouble(f[2])).reversed())
                .limit(n).map(f -> f[2] + " " + Path.of(f[0]).getFileName()).toList().toString();
    }

    static boolean overlaps(JsonNode r, JsonNode truth) {
        double x1 = truth.path(0).asDouble();
        double y1 = truth.path(1).asDouble();
        double x2 = truth.path(2).asDouble();
        double y2 = truth.path(3).asDouble();
        int rx = r.path("x").asInt();
        int ry = r.path("y").asInt();
        return rx < x2 && rx + r.path("width").asInt() > x1 && ry < y2 && ry + r.path("height").asInt() > y1;
    }

    static List<JsonNode> sideCars(Path archive, Instant since) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(archive)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode n = JSON.readTree(f.toFile());
                if (!Instant.parse(n.path("triggeredAt").asText()).isBefore(since)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    static String loadError(Path recipe, LoadedStation loaded) {
        try {
            RecipeLoader.load(recipe, recipe.getFileName().toString(), loaded.recipeDir(), loaded.config());
            return "OK";
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
