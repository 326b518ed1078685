/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input a plant or an attacker may produce: each is refused with one error line that names the file and the line,
 * nothing else is thrown, and nothing on disk changes.
 */
@DisplayName("hostile input should be refused with one line naming file and line")
class HostileInputTest {
    static final String SHOT = "shots:\n  - {name: bright, camera: top, exposureUs: 1000}\n";

    @TempDir
    Path dir;

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Loads {@code file} as recipe {@code r.yaml} and returns its only error, checking that nothing changed. */
    ConfigError onlyError(Path file) throws IOException {
        byte[] before = Files.readAllBytes(file);
        List<Path> storeBefore = listStore();
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> RecipeLoader.load(file, "recipes/r.yaml", dir, null));
        assertThat(e).as("refused with a ConfigException").isNotNull();
        assertThat(e.errors()).hasSize(1);
        ConfigError error = e.errors().getFirst();
        assertThat(error.file()).isEqualTo("recipes/r.yaml");
        assertThat(error.line()).as("line of: " + error).isPositive();
        assertThat(error.toString()).doesNotContain("\n").doesNotContain("\r").doesNotContain("\0")
                .hasSizeLessThan(400);
        assertThat(Files.readAllBytes(file)).as("the file is untouched").isEqualTo(before);
        assertThat(listStore()).as("nothing was written to the store").isEqualTo(storeBefore);
        return error;
    }

    List<Path> listStore() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }

    @Nested
    @DisplayName("a number that is not finite should not switch a check off")
    class NonFinite {
        @ParameterizedTest
        @ValueSource(strings = {"NaN", ".nan", ".NaN", "Infinity", "-Infinity", ".inf", "-.inf", "+.inf", "1e400", "-1e400"})
        void anOptionalLimit_refusesIt(String value) throws Exception {
            Path file = write("r.yaml", "name: x\n" + SHOT + "rules:\n  - type: blob\n    name: b\n    shot: bright\n"
                    + "    roi: {x: 0, y: 0, width: 10, height: 10}\n    maxTotalArea: " + value + "\n");
            ConfigError e = onlyError(file);
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.path()).isEqualTo("rules[0].maxTotalArea");
            assertThat(e.reason()).startsWith("must be a finite number");
        }

        @ParameterizedTest
        @ValueSource(strings = {"NaN", ".inf", "1e400"})
        void aRangedNumber_refusesIt(String value) throws Exception {
            Path file = write("r.yaml", "name: x\n" + SHOT.replace("exposureUs: 1000",
                    "exposureUs: 1000, light: {controller: ring, channel: 1, intensityPct: " + value + "}"));
            ConfigError e = onlyError(file);
            assertThat(e.toString()).startsWith("recipes/r.yaml:3 shots[0].light.intensityPct: " + value
                    + " must be a finite number");
        }

        @Test
        void aPerClassConfidence_refusesIt() throws Exception {
            Path file = write("r.yaml", "name: x\n" + SHOT + "model:\n  path: m.onnx\n  allowUnevaluated: true\n"
                    + "  classConfidence: {crack: .nan}\n");
            Files.write(dir.resolve("m.onnx"), new byte[] {1});
            ConfigError e = onlyError(file);
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:7 model.classConfidence.crack: .nan must be a finite "
                    + "number (NaN or infinity would switch the check off)");
        }

        @Test
        void theStation_refusesIt() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> StationConfigLoader.parse("""
                    line: l1
                    station: s1
                    trigger: {rateHz: .nan}
                    cameras: [{id: top, driver: synthetic}]
                    """, "station.yaml", dir));
            assertThat(e.errors()).singleElement().hasToString("station.yaml:3 trigger.rateHz: .nan must be a finite "
                    + "number (NaN or infinity would switch the check off)");
        }
    }

    @Nested
    @DisplayName("input too large or too deep should fail fast")
    class Limits {
        @Test
        void twentyThousandNestedBrackets_areRefusedWithoutStackOverflow() throws Exception {
            Path file = write("r.yaml", "name: x\n" + SHOT + "description: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");
            ConfigError e = onlyError(file);
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.reason()).isEqualTo("nests lists and mappings more than 64 levels deep");
        }

        @Test
        void aThousandNestedBlockMappings_areRefusedWithoutStackOverflow() throws Exception {
            StringBuilder deep = new StringBuilder("name: x\n" + SHOT + "description:\n");
            for (int i = 0; i < 1_000; i++) {
                deep.append(" ".repeat(i + 1)).append("k:\n");
            }
            ConfigError e = onlyError(write("r.yaml", deep.toString()));
            assertThat(e.reason()).isEqualTo("nests lists and mappings more than 64 levels deep");
        }

        @Test
        void aTenMegabyteValue_isRefusedBeforeParsing() throws Exception {
            Path file = write("r.yaml", "name: x\ndescription: \"" + "x".repeat(10 << 20) + "\"\n" + SHOT);
            ConfigError e = onlyError(file);
            assertThat(e.line()).as("the line where the file passes 1 MiB").isEqualTo(2);
            assertThat(e.reason()).startsWith("is larger than 1 MiB (10485841 bytes, passing the limit on this line)");
        }

        @Test
        void aLongValueOnManyLines_isRefused() throws Exception {
            String block = ("  " + "y".repeat(999) + "\n").repeat(100);
            ConfigError e = onlyError(write("r.yaml", "name: x\ndescription: |\n" + block + SHOT));
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:2 has a value of 100000 characters; a value may have at "
                    + "most 65536");
        }

        @Test
        void aLongLine_isRefused() throws Exception {
            ConfigError e = onlyError(write("r.yaml", "name: x\n" + SHOT + "description: " + "y".repeat(100_000) + "\n"));
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:4 has a line longer than 65536 characters");
        }

        @Test
        void aFileOfManyMistakes_isCutAtOneHundredErrors() throws Exception {
            StringBuilder many = new StringBuilder("name: x\n" + SHOT);
            for (int i = 0; i < 5_000; i++) {
                many.append("unknown").append(i).append(": 1\n");
            }
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("r.yaml", many.toString()), "r.yaml", dir, null));
            assertThat(e.errors()).hasSize(101);
            assertThat(e.errors().getLast()).hasToString("r.yaml has more errors: the first 100 are listed");
        }

        @Test
        void manyAliasesToMappings_areRefusedWithTheLine() throws Exception {
            StringBuilder yaml = new StringBuilder("name: x\n" + SHOT + "rules:\n"
                    + "  - &r {type: intensity, name: i, shot: bright, roi: {x: 0, y: 0, width: 8, height: 8}}\n");
            for (int i = 0; i < 60; i++) {
                yaml.append("  - *r\n");
            }
            ConfigError e = onlyError(write("r.yaml", yaml.toString()));
            assertThat(e.reason()).startsWith("is not valid YAML: Number of aliases for non-scalar nodes exceeds");
            assertThat(e.line()).isEqualTo(56);
        }
    }

    @Nested
    @DisplayName("bytes and characters that have no place in a recipe should be refused")
    class Characters {
        @Test
        void aNulByteInTheModelPath_isRefusedWithTheLine() throws Exception {
            Path file = write("r.yaml", ("name: x\n" + SHOT + "model:\n  path: models/m\0.onnx\n")
                    .getBytes(StandardCharsets.UTF_8));
            ConfigError e = onlyError(file);
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:5 contains the control character U+0000 at column 17; "
                    + "NUL and other control characters are not allowed");
        }

        @Test
        void anEscapedNulInTheModelPath_isRefusedWithItsFieldPath() throws Exception {
            Path file = write("r.yaml", "name: x\n" + SHOT + "model:\n  path: \"models/m\\0.onnx\"\n");
            ConfigError e = onlyError(file);
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:5 model.path: models/m\\u0000.onnx contains the "
                    + "character U+0000 at position 9; NUL, other control characters and unpaired surrogates are not allowed");
        }

        @Test
        void anUnpairedSurrogate_isRefused() throws Exception {
            ConfigError e = onlyError(write("r.yaml", "name: x\n" + SHOT + "description: \"a\\uD800b\"\n"));
            assertThat(e.path()).isEqualTo("description");
            assertThat(e.reason()).startsWith("contains the character U+D800 at position 2");
        }

        @Test
        void aLatin1File_namesTheLineAndByteOffset() throws Exception {
            Path file = write("r.yaml", new byte[] {'n', 'a', 'm', 'e', ':', ' ', 'x', '\n', 'd', 'e', 's', 'c', 'r',
                'i', 'p', 't', 'i', 'o', 'n', ':', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n'});
            ConfigError e = onlyError(file);
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:2 is not valid UTF-8: byte 0xe9 at byte offset 24 "
                    + "(column 17) does not start or continue a character; save the file as UTF-8");
        }

        @Test
        void aTruncatedUtf8Character_atTheEndOfTheFile_isRefused() throws Exception {
            byte[] euro = "name: x\ndescription: 5 €".getBytes(StandardCharsets.UTF_8);
            ConfigError e = onlyError(write("r.yaml", java.util.Arrays.copyOf(euro, euro.length - 1)));
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.reason()).startsWith("is not valid UTF-8: byte 0xe2 at byte offset 23");
        }

        @Test
        void aUtf8ByteOrderMark_isAccepted() throws Exception {
            byte[] text = ("name: x\n" + SHOT).getBytes(StandardCharsets.UTF_8);
            byte[] withBom = new byte[text.length + 3];
            withBom[0] = (byte) 0xef;
            withBom[1] = (byte) 0xbb;
            withBom[2] = (byte) 0xbf;
            System.arraycopy(text, 0, withBom, 3, text.length);
            Recipe r = RecipeLoader.load(write("r.yaml", withBom), "r.yaml", dir, null);
            assertThat(r.name()).isEqualTo("x");
        }
    }

    @Nested
    @DisplayName("a path should be a config error, never a stack trace")
    class Paths {
        String withModel(String path) {
            return "name: x\n" + SHOT + "model:\n  path: " + path + "\n  allowUnevaluated: true\n";
        }

        @Test
        void aSymbolicLinkOutOfTheStore_isRefused(@TempDir Path elsewhere) throws Exception {
            Path secret = Files.writeString(elsewhere.resolve("secret.onnx"), "not yours");
            Files.createDirectories(dir.resolve("models"));
            Files.createSymbolicLink(dir.resolve("models/m.onnx"), secret);
            ConfigError e = onlyError(write("r.yaml", withModel("models/m.onnx")));
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.path()).isEqualTo("model.path");
            assertThat(e.reason()).startsWith("must be a path inside the recipe store " + dir)
                    .contains("through a symbolic link");
        }

        @Test
        void aFolderLinkedOutOfTheStore_isRefused(@TempDir Path elsewhere) throws Exception {
            Files.writeString(elsewhere.resolve("m.onnx"), "not yours");
            Files.createSymbolicLink(dir.resolve("models"), elsewhere);
            ConfigError e = onlyError(write("r.yaml", withModel("models/m.onnx")));
            assertThat(e.reason()).startsWith("must be a path inside the recipe store");
        }

        @Test
        void aMissingModel_isReportedAsMissing() throws Exception {
            ConfigError e = onlyError(write("r.yaml", withModel("models/none.onnx")));
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:5 model.path: models/none.onnx does not exist in the "
                    + "recipe store " + dir);
        }

        @Test
        void aLinkToNothing_isReportedAsSuch() throws Exception {
            Files.createSymbolicLink(dir.resolve("m.onnx"), dir.resolve("gone.onnx"));
            ConfigError e = onlyError(write("r.yaml", withModel("m.onnx")));
            assertThat(e.reason()).startsWith("goes through a symbolic link that points at nothing (m.onnx");
        }

        @Test
        void aFolderInsteadOfAFile_isRefused() throws Exception {
            Files.createDirectories(dir.resolve("models"));
            ConfigError e = onlyError(write("r.yaml", withModel("models")));
            assertThat(e.reason()).isEqualTo("is not a file in the recipe store " + dir);
        }

        @Test
        void aLinkInsideTheStore_isFollowedAndAccepted() throws Exception {
            Files.createDirectories(dir.resolve("models"));
            Files.write(dir.resolve("models/v3.onnx"), new byte[] {1});
            Files.createSymbolicLink(dir.resolve("models/current.onnx"), Path.of("v3.onnx"));
            Recipe r = RecipeLoader.load(write("r.yaml", withModel("models/current.onnx")), "r.yaml", dir, null);
            assertThat(r.model().path()).isEqualTo("models/current.onnx");
            assertThat(RecipeLoader.resolve(dir, "models/current.onnx")).isEqualTo(dir.toRealPath().resolve("models/v3.onnx"));
        }

        @Test
        void aGoldenImageOutsideTheStore_isRefusedAtLoad() throws Exception {
            Path file = write("r.yaml", "name: x\n" + SHOT + "rules:\n  - type: golden\n    name: g\n    shot: bright\n"
                    + "    roi: {x: 0, y: 0, width: 10, height: 10}\n    image: /etc/passwd\n");
            ConfigError e = onlyError(file);
            assertThat(e.toString()).isEqualTo("recipes/r.yaml:9 rules[0].image: /etc/passwd must be a path inside the "
                    + "recipe store " + dir);
        }
    }
}
