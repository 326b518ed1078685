/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The demo recipe's model (and its evaluation record) copied into a test's recipe folder, and its YAML text. */
final class DemoRecipeFiles {
    private DemoRecipeFiles() {
    }

    /** Copies the model into {@code dir/models} and returns the demo recipe's YAML, for a test to edit and write. */
    static String copyModelAndReadYaml(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("models"));
        for (String f : new String[] {"models/bracket-defects.onnx", "models/bracket-defects.onnx.eval.json"}) {
            try (InputStream in = DemoRecipeFiles.class.getResourceAsStream("/demo/recipes/" + f)) {
                assertThat(in).as(f).isNotNull();
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (InputStream in = DemoRecipeFiles.class.getResourceAsStream("/demo/recipes/bracket.yaml")) {
            assertThat(in).as("bracket.yaml").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
