/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckRecipeCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out) {
    }

    Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new StationCli()).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    Path demoRecipe() throws Exception {
        Path p = dir.resolve("bracket.yaml");
        try (InputStream in = getClass().getResourceAsStream("/demo/recipes/bracket.yaml")) {
            Files.copy(in, p);
        }
        Files.createDirectories(dir.resolve("models"));
        for (String f : new String[] {"bracket-defects.onnx", "bracket-defects.onnx.eval.json"}) {
            try (InputStream in = getClass().getResourceAsStream("/demo/recipes/models/" + f)) {
                Files.copy(in, dir.resolve("models/" + f));
            }
        }
        return p;
    }

    @Test
    void demoRecipe_isOk() throws Exception {
        Run r = run("check-recipe", demoRecipe().toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(": OK" + System.lineSeparator())
                .contains("model models/bracket-defects.onnx: evaluated ")
                .contains("on 1000 images of data/bracket-eval: mAP@0.5 0.904, escape rate 0.0000, overkill rate 0.0000");
    }

    @Test
    void modelReplacedAfterItsEvaluation_isRefusedUntilEvaluatedOrForced() throws Exception {
        Path p = demoRecipe();
        Path model = p.resolveSibling("models/bracket-defects.onnx");
        // a different file now, still a model: ModelProto's doc_string (field 6) appended, "retrained"
        byte[] docString = {0x32, 9, 'r', 'e', 't', 'r', 'a', 'i', 'n', 'e', 'd'};
        Files.write(model, docString, java.nio.file.StandardOpenOption.APPEND);
        Run r = run("check-recipe", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().strip()).matches(".*bracket\\.yaml:\\d+ model\\.path: models/bracket-defects\\.onnx changed since it was evaluated: .*");

        Files.writeString(p, Files.readString(p).replace("  path: models/bracket-defects.onnx\n",
                "  path: models/bracket-defects.onnx\n  allowUnevaluated: true\n"));
        Run forced = run("check-recipe", p.toString());
        assertThat(forced.exit()).isZero();
        assertThat(forced.out()).contains(": OK").contains("NOT EVALUATED (its record is for another file");
    }

    @Test
    void judgeClassNamesTheModelDoesNotHave_areErrorsWithTheirLine_asTheStationWouldRefuseThem() throws Exception {
        Path p = demoRecipe();
        Files.writeString(p, Files.readString(p) + """
                judge:
                  toleratedClasses: [dents]
                  weights: {scratch: 2, surfce: 5}
                """);
        long lines = Files.readString(p).lines().count();
        Run r = run("check-recipe", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().strip().split("\\R")).containsExactly(
                p + ":" + (lines - 1) + " judge.toleratedClasses: dents is not a class (classes of bracket-defects.onnx@"
                        + sha12(p.resolveSibling("models/bracket-defects.onnx"))
                        + ": contamination, dent, missing_hole, scratch)",
                p + ":" + lines + " judge.weights.surfce: is neither a rule of the recipe nor a class (classes of "
                        + "bracket-defects.onnx@" + sha12(p.resolveSibling("models/bracket-defects.onnx"))
                        + ": contamination, dent, missing_hole, scratch)");

        Files.writeString(p, Files.readString(p).replace("[dents]", "[dent]").replace("surfce", "hole-top-right"));
        assertThat(run("check-recipe", p.toString()).exit()).as("class and rule names it has").isZero();
    }

    @Test
    void aModelFileThatIsNoModel_isAnErrorNamingIt() throws Exception {
        Path p = demoRecipe();
        Path model = p.resolveSibling("models/bracket-defects.onnx");
        Files.write(model, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND); // no longer parses
        Files.writeString(p, Files.readString(p).replace("  path: models/bracket-defects.onnx\n",
                "  path: models/bracket-defects.onnx\n  allowUnevaluated: true\n"));
        Run r = run("check-recipe", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().strip()).matches(".*bracket\\.yaml:\\d+ model\\.path: models/bracket-defects\\.onnx cannot be "
                + "opened: .*bracket-defects\\.onnx.*").doesNotContain(": OK");
    }

    private static String sha12(Path file) throws Exception {
        return io.linesight.config.recipe.EvaluationRecord.sha256(file).substring(0, 12);
    }

    @Test
    void recipeWithThreeMistakes_reportsAllThreeWithLineAndPath_andExitsNonZero() throws Exception {
        Path p = demoRecipe();
        String text = Files.readString(p)
                .replace("exposureUs: 1000", "exposureUs: 0")                     // out of range
                .replace("thresholdValue: 130", "tresholdValue: 130")             // typo in a key
                .replace("minCircularity: 0.6\n    minCount: 1\n    maxCount: 1\n  - type: blob\n    name: hole-top-right",
                        "minCircularity: 1.6\n    minCount: 1\n    maxCount: 1\n  - type: blob\n    name: hole-top-right"); // > 1
        Files.writeString(p, text);
        Run r = run("check-recipe", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        String[] lines = r.out().strip().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).matches(".*bracket\\.yaml:10 shots\\[0\\]\\.exposureUs: 0 must be 10\\.\\.1000000");
        assertThat(lines[1]).matches(".*bracket\\.yaml:\\d+ rules\\[0\\]\\.tresholdValue: is not a known key \\(did you mean 'thresholdValue'\\?\\)");
        assertThat(lines[2]).matches(".*bracket\\.yaml:\\d+ rules\\[1\\]\\.minCircularity: 1\\.6 must be 0\\.\\.1");
    }
}
