/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The recipe names in a recipe store folder: its {@code <name>.yaml} files, sorted. */
public final class RecipeNames {
    private RecipeNames() {
    }

    /** The names, or an empty list when the folder cannot be read (the Recipes screen says so). */
    public static List<String> in(Path recipeDir) {
        try (Stream<Path> files = Files.list(recipeDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
