/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code station check-recipe} on recipes made to hurt, through the command line the launcher runs
 * ({@link StationCli#main} without its {@code System.exit}): each is refused with exit code 1 and exactly one line
 * of output, {@code <file>:<line> <reason>}, within 2 s. The 2 s is a generous cap, not a measurement (0.06 to 0.51 s
 * per case on a loaded machine, the 10 MB file 0.14 s; docs/RELIABILITY.md): it is there to catch a parser that hangs or
 * goes quadratic again, as a 3 MB recipe once took 37 s. The files are written before the clock starts; the JVM is
 * warmed with a good recipe first, so the cap does not pay for class loading.
 */
@DisplayName("check-recipe on hostile input should print one line with file and line, quickly")
class CheckRecipeHostileInputTest {
    static final String SHOT = "shots:\n  - {name: bright, camera: top, exposureUs: 1000}\n";
    static final String BLOB = "rules:\n  - type: blob\n    name: b\n    shot: bright\n"
            + "    roi: {x: 0, y: 0, width: 10, height: 10}\n    maxTotalArea: ";

    @TempDir
    static Path root;
    /** The recipe store check-recipe uses: the recipe's folder. */
    static Path store;
    static Path elsewhere;

    @BeforeAll
    static void warmUp() throws IOException {
        store = Files.createDirectories(root.resolve("store"));
        elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Path good = Files.writeString(store.resolve("good.yaml"), "name: good\n" + SHOT + BLOB + "100\n");
        assertThat(run("check-recipe", good.toString()).exit()).isZero();
    }

    static Stream<Arguments> hostileRecipes() throws IOException {
        Files.createDirectories(store.resolve("models"));
        Path secret = Files.writeString(elsewhere.resolve("secret.onnx"), "not yours");
        Files.createSymbolicLink(store.resolve("models/linked.onnx"), secret);
        byte[] latin1 = "name: x\ndescription: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        return Stream.of(
                Arguments.of("NaN", write("nan.yaml", "name: x\n" + SHOT + BLOB + "NaN\n"), 9, "must be a finite number"),
                Arguments.of("Infinity", write("inf.yaml", "name: x\n" + SHOT + BLOB + "Infinity\n"), 9,
                        "must be a finite number"),
                Arguments.of("1e400", write("big.yaml", "name: x\n" + SHOT + BLOB + "1e400\n"), 9, "must be a finite number"),
                Arguments.of("20,000 nested brackets", write("deep.yaml", "name: x\n" + SHOT + "description: "
                        + "[".repeat(20_000) + "]".repeat(20_000) + "\n"), 4, "more than 64 levels deep"),
                Arguments.of("a 10 MB scalar", write("huge.yaml", "name: x\ndescription: \"" + "x".repeat(10 << 20)
                        + "\"\n" + SHOT), 2, "is larger than 1 MiB"),
                Arguments.of("a NUL byte", write("nul.yaml", "name: x\n" + SHOT + "model:\n  path: models/m\0.onnx\n"), 5,
                        "control character U+0000"),
                Arguments.of("a symbolic link out of the store", write("link.yaml", "name: x\n" + SHOT
                        + "model:\n  path: models/linked.onnx\n  allowUnevaluated: true\n"), 5, "through a symbolic link"),
                Arguments.of("a non-UTF-8 file", write("latin1.yaml", latin1), 2, "is not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRecipes")
    void isRefusedWithOneLineNamingFileAndLine_inUnderTwoSeconds(String what, Path file, int line, String reason) {
        Run r = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> run("check-recipe", file.toString()), what);
        assertThat(r.exit()).as(what).isEqualTo(1);
        assertThat(r.out().split("\\R", -1)).as("one line and its line break: %s", r.out()).hasSize(2);
        assertThat(r.out().strip()).as(what)
                .matches(Pattern.quote(file.toString()) + ":" + line + " .*")
                .contains(reason)
                .hasSizeLessThan(600);
    }

    record Run(int exit, String out) {
    }

    static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new StationCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    static Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(store.resolve(name), bytes);
    }
}
