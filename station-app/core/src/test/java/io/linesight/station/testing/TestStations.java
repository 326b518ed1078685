/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stations for tests, built from the demo configuration shipped in the program with small edits. */
public final class TestStations {
    private TestStations() {
    }

    /** The demo station.yaml, as text, to edit before {@link #load}. */
    public static String demoStationYaml() throws Exception {
        try (InputStream in = TestStations.class.getResourceAsStream("/demo/station.yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Writes the station YAML and the demo recipe into {@code dir} and loads them. */
    public static LoadedStation load(Path dir, String stationYaml) throws Exception {
        Files.createDirectories(dir.resolve("recipes/models"));
        for (String f : new String[] {"recipes/bracket.yaml", "recipes/models/bracket-defects.onnx",
                "recipes/models/bracket-defects.onnx.eval.json"}) {
            try (InputStream in = TestStations.class.getResourceAsStream("/demo/" + f)) {
                Files.copy(in, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve("station.yaml"), stationYaml);
        return StationConfigLoader.load(dir.resolve("station.yaml"));
    }

    public static Recipe recipe(LoadedStation loaded) throws Exception {
        return RecipeLoader.load(loaded.recipeDir().resolve(loaded.config().recipe()), "bracket.yaml", loaded.recipeDir(),
                loaded.config());
    }
}
