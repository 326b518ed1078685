/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.inference.onnx.tools.EvalTool;
import io.linesight.station.Station;
import io.linesight.station.cli.StationCli;
import io.linesight.station.testing.TestStations;
import io.linesight.station.trigger.TimerTrigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The model loop on a real station: parts are inspected and archived, {@code export-dataset} turns the archive into a
 * labelled set, {@code eval --record} judges a model on it, and only then does a recipe accept that model file.
 */
@DisplayName("the model loop: archive → export-dataset → eval --record → recipe")
class ModelLoopIT {
    @TempDir
    Path dir;

    @Test
    void archivedParts_exportWithLabels_evalWritesTheRecord_recipeAcceptsTheModelOnlyThen() throws Exception {
        // a deadline no loaded machine misses at 10 parts/s: every part is inspected and archived with its image
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 5000");
        LoadedStation loaded = TestStations.load(dir, yaml);
        Path recipeFile = loaded.recipeDir().resolve("bracket.yaml");
        Files.writeString(recipeFile, Files.readString(recipeFile).replace("okEveryN: 50", "okEveryN: 1"));
        Path data = dir.resolve("data");
        long rejected;
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, data)) {
            try (TimerTrigger trigger = new TimerTrigger(10, 40, station::trigger)) {
                while (trigger.triggered() < 40) {
                    Thread.sleep(20);
                }
            }
            assertThat(station.awaitIdle(30_000)).isTrue();
            rejected = station.stats().snapshot().rejected();
        } // closing writes what the archive has queued

        Path set = dir.resolve("line-set");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new StationCli()).execute("export-dataset", "--since", "1h", "--data-dir", data.toString(),
                    "--to", set.toString(), "--shot", "bright", "--labels", "truth",
                    "--classes", "scratch,dent,contamination,missing_hole");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        assertThat(out).startsWith("exported 40 images of 40 parts (" + rejected + " REJECT, " + (40 - rejected) + " PASS)");
        assertThat(Files.readAllLines(set.resolve("classes.txt"))).containsExactly("scratch", "dent", "contamination", "missing_hole");

        // a model file the recipe store has no record for yet
        Path model = loaded.recipeDir().resolve("models/candidate.onnx");
        Files.copy(loaded.recipeDir().resolve("models/bracket-defects.onnx"), model);
        Path candidateRecipe = loaded.recipeDir().resolve("candidate.yaml");
        Files.writeString(candidateRecipe, Files.readString(recipeFile).replace("name: bracket", "name: candidate")
                .replace("models/bracket-defects.onnx", "models/candidate.onnx"));
        assertThat(RecipeLoaderResult.of(candidateRecipe, loaded)).contains("has no evaluation record");

        ByteArrayOutputStream evalOut = new ByteArrayOutputStream();
        ByteArrayOutputStream evalErr = new ByteArrayOutputStream();
        rc = EvalTool.run(List.of("--model", model.toString(), "--dataset", set.toString(), "--conf", "0.01", "--record"),
                new PrintStream(evalOut, true, StandardCharsets.UTF_8), new PrintStream(evalErr, true, StandardCharsets.UTF_8));
        assertThat(rc).as(evalErr.toString(StandardCharsets.UTF_8)).isZero();
        EvaluationRecord record = EvaluationRecord.read(EvaluationRecord.fileFor(model));
        assertThat(record.images()).isEqualTo(40);
        assertThat(record.escapeRate()).as("the demo model misses none of the line's known defects").isZero();
        assertThat(RecipeLoaderResult.of(candidateRecipe, loaded)).isEqualTo("OK");
    }

    /** What loading a recipe says: OK, or its errors. */
    private static final class RecipeLoaderResult {
        static String of(Path recipe, LoadedStation loaded) {
            try {
                RecipeLoader.load(recipe, recipe.getFileName().toString(), loaded.recipeDir(), loaded.config());
                return "OK";
            } catch (io.linesight.config.ConfigException e) {
                return e.getMessage();
            }
        }
    }
}
