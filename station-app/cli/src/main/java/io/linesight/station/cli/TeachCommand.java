/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.ConfigException;
import io.linesight.config.bind.YamlWriter;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.rules.teach.Teacher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Teaches a recipe from a good part: template and golden images and circle datums are captured from the image, and
 * the recipe is saved as its next version. The previous version is kept in {@code .history/} beside it.
 */
@Command(name = "teach", mixinStandardHelpOptions = true,
        description = "Capture templates, golden images and datums from a good part; saves the recipe's next version.")
final class TeachCommand implements Callable<Integer> {

    @Option(names = "--recipe", required = true, paramLabel = "RECIPE_YAML", description = "the recipe to teach")
    Path recipeFile;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "a good part (8- or 16-bit grey)")
    Path image;

    @Override
    public Integer call() throws IOException {
        Path dir = recipeFile.toAbsolutePath().getParent();
        Recipe recipe;
        try {
            recipe = RecipeLoader.load(recipeFile, recipeFile.toString(), dir, null);
        } catch (ConfigException e) {
            e.errors().forEach(System.out::println);
            return 1;
        }
        if (!Files.isRegularFile(image)) {
            System.out.println(image + ": no such image");
            return 1;
        }
        Recipe taught = Teacher.teach(recipe, dir, image);
        Recipe next = new Recipe(taught.name(), recipe.version() + 1, taught.productCode(), taught.description(),
                taught.shots(), taught.rules(), taught.model(), taught.judge(), taught.archive());
        Path history = Files.createDirectories(dir.resolve(".history"));
        Files.copy(recipeFile, history.resolve(recipe.name() + "@" + recipe.version() + ".yaml"),
                StandardCopyOption.REPLACE_EXISTING);
        Path tmp = Files.writeString(dir.resolve(recipeFile.getFileName() + ".tmp"), YamlWriter.write(next));
        Files.move(tmp, recipeFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(recipeFile + ": taught from " + image + ", saved as " + next.label()
                + " (previous version in .history/)");
        return 0;
    }
}
