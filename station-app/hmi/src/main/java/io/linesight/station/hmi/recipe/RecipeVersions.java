/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import io.linesight.config.ConfigException;
import io.linesight.config.bind.YamlWriter;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.station.auth.AuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The recipe store as the HMI sees it: the current recipes ({@code <recipeDir>/*.yaml}), their earlier versions
 * ({@code .history/<name>@<version>.yaml}, as the teach command keeps them) and saving an edit as the next version.
 * File work only; callers keep it off the FX thread when the store is slow.
 */
public final class RecipeVersions {
    private final Path recipeDir;
    private final AuditLog audit;

    /** One version of one recipe: where it is, and what it says (or why it cannot be read). */
    public record Entry(Path file, String name, int version, @Nullable String productCode, boolean current,
                        @Nullable String error) {
        public String label() {
            return name + "@" + version;
        }
    }

    public RecipeVersions(Path recipeDir, AuditLog audit) {
        this.recipeDir = recipeDir;
        this.audit = audit;
    }

    /** Current recipes, by name. A file that does not load is listed with its error, never skipped silently. */
    public List<Entry> current() throws IOException {
        return list(recipeDir, true);
    }

    /** All versions of {@code name}: the current one first, then the history, newest first. */
    public List<Entry> versions(String name) throws IOException {
        List<Entry> out = new ArrayList<>();
        current().stream().filter(e -> e.name().equals(name)).forEach(out::add);
        list(recipeDir.resolve(".history"), false).stream().filter(e -> e.name().equals(name))
                .sorted(Comparator.comparingInt(Entry::version).reversed()).forEach(out::add);
        return out;
    }

    private List<Entry> list(Path dir, boolean current) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().map(f -> {
                String file = f.getFileName().toString();
                String stem = file.substring(0, file.length() - ".yaml".length());
                String name = stem.contains("@") ? stem.substring(0, stem.indexOf('@')) : stem;
                try {
                    Recipe r = load(f);
                    return new Entry(f, r.name(), r.version(), r.productCode(), current, null);
                } catch (ConfigException | IOException e) {
                    return new Entry(f, name, 0, null, current, e.getMessage());
                }
            }).toList();
        }
    }

    public Recipe load(Path file) throws ConfigException, IOException {
        return RecipeLoader.load(file, recipeDir.relativize(file.toAbsolutePath().normalize()).toString(), recipeDir, null);
    }

    /** The recipe as YAML, the way it would be saved; the unit of comparison between versions. */
    public static String yaml(Recipe recipe) {
        return YamlWriter.write(recipe);
    }

    /**
     * Saves {@code edited} as the next version of the current {@code <name>.yaml}: the current file moves to
     * {@code .history/}, the new one is written atomically and checked by loading it back; audited with before and
     * after labels.
     *
     * @return the saved recipe, as loaded back
     */
    public Recipe saveNextVersion(Recipe edited, String who) throws IOException, ConfigException {
        Path file = recipeDir.resolve(edited.name() + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no current recipe " + file.getFileName() + " in the recipe store to save a version of");
        }
        Recipe current = load(file);
        Recipe next = new Recipe(current.name(), current.version() + 1, edited.productCode(), edited.description(),
                edited.shots(), edited.rules(), edited.model(), edited.judge(), edited.archive());
        String yaml = yaml(next);
        RecipeLoader.parse(yaml, file.getFileName().toString(), recipeDir, null); // refuse what would not load
        // audited before the file changes: AuditException leaves the recipe store as it was
        audit.record(who, "recipe-save", next.name(), current.label(), next.label() + ": "
                + String.join("; ", RecipeDiff.changes(yaml(current), yaml)));
        try {
            Path history = Files.createDirectories(recipeDir.resolve(".history"));
            Files.copy(file, history.resolve(current.label() + ".yaml"), StandardCopyOption.REPLACE_EXISTING);
            Path tmp = Files.writeString(recipeDir.resolve(file.getFileName() + ".tmp"), yaml);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return load(file);
        } catch (IOException | ConfigException | RuntimeException e) {
            audit.record(who, "recipe-save-failed", next.name(), current.label(), next.label() + ": " + e.getMessage());
            throw e;
        }
    }

    public Path recipeDir() {
        return recipeDir;
    }

    /** Where the recipe store's changes are audited. */
    public AuditLog audit() {
        return audit;
    }
}
