/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import io.linesight.config.recipe.StorePathException;
import io.linesight.config.recipe.StorePaths;
import io.linesight.station.control.CommandException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Finds a recipe file in the recipe store by name or by the product code it declares. */
final class RecipeFiles {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PRODUCT_CODE = Pattern.compile("(?m)^productCode:\\s*[\"']?([^\"'\\s#]+)");

    private RecipeFiles() {
    }

    static Path find(Path recipeDir, @Nullable String name, @Nullable String productCode) throws CommandException {
        if (name != null) {
            if (!NAME.matcher(name).matches() || name.contains("..")) {
                throw new CommandException("recipe name '" + name + "' must be 1..64 of A-Z a-z 0-9 _ . -");
            }
            try {
                // resolved through symbolic links: a link in the store that points out of it is refused
                return StorePaths.existingFile(recipeDir, name.endsWith(".yaml") ? name : name + ".yaml");
            } catch (StorePathException e) {
                throw new CommandException("recipe '" + name + "' " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.list(recipeDir)) {
            List<Path> matches = files.filter(f -> f.toString().endsWith(".yaml")).filter(f -> {
                try {
                    StorePaths.existingFile(recipeDir, f.getFileName().toString());
                    Matcher m = PRODUCT_CODE.matcher(Files.readString(f));
                    return m.find() && m.group(1).equals(productCode);
                } catch (IOException | StorePathException e) {
                    return false; // unreadable, or a link out of the store: not a recipe of this station
                }
            }).sorted().toList();
            if (matches.isEmpty()) {
                throw new CommandException("no recipe for product code '" + productCode + "'");
            }
            if (matches.size() > 1) {
                throw new CommandException("product code '" + productCode + "' is in " + matches.size() + " recipes: "
                        + matches.stream().map(p -> p.getFileName().toString()).toList());
            }
            return matches.getFirst();
        } catch (IOException e) {
            throw new CommandException("recipe store unreadable: " + e.getMessage());
        }
    }
}
