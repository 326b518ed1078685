/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Recipe;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.rules.FixtureRunner;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.inspect.ActiveRecipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Re-inspects the last archived parts (raw PNG per shot, found through each part's JSON side-car) with the running
 * recipe's rules and with an edited recipe's rules, and counts the verdicts that flip between the two. Comparing
 * two re-inspections, not the stored verdict, keeps reasons the rules cannot reproduce (timeouts, camera faults)
 * from counting as flips. Rules only: the detector is not re-run (its sessions belong to the pipeline). Slow (OpenCV
 * per image): never on the FX thread.
 */
public final class RecipePreview {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Counts over the parts re-inspected; {@code skipped}: parts without images for every shot the rules need. */
    public record Result(int parts, int toReject, int toPass, int skipped, List<String> flipped) {
        public int flips() {
            return toReject + toPass;
        }
    }

    private RecipePreview() {
    }

    /** The side-cars of the newest {@code n} archived parts of any recipe with the same name. */
    public static List<Path> lastParts(Path archiveRoot, String recipeName, int n) throws IOException {
        if (!Files.isDirectory(archiveRoot)) {
            return List.of();
        }
        // the archive writes while the engineer previews: files come and go during the listing
        return io.linesight.station.archive.LiveFolder.files(archiveRoot, 3, f -> f.endsWith(".json")).stream()
                .filter(f -> f.getParent().getFileName().toString().startsWith(recipeName + "_"))
                .sorted(Comparator.comparingLong(RecipePreview::modified).reversed()).limit(n).toList();
    }

    /** One archived raw image of one shot and the part it belongs to. */
    public record ArchivedImage(Path png, String partId) {
    }

    /**
     * The newest archived raw image of {@code shot} among the last {@code lookBack} parts of recipe {@code recipeName},
     * or null when none has one. File work: not on the FX thread.
     */
    public static @Nullable ArchivedImage latestImage(Path archiveRoot, String recipeName, String shot, int lookBack)
            throws IOException {
        for (Path json : lastParts(archiveRoot, recipeName, lookBack)) {
            JsonNode side = JSON.readTree(json.toFile());
            for (JsonNode img : side.path("images")) {
                Path png = json.resolveSibling(img.path("file").asText());
                if (img.path("shot").asText().equals(shot) && Files.isRegularFile(png)) {
                    return new ArchivedImage(png, side.path("partId").asText());
                }
            }
        }
        return null;
    }

    public static Result run(Recipe current, Recipe recipe, Path recipeDir, List<Path> sideCars) throws Exception {
        int parts = 0;
        int toReject = 0;
        int toPass = 0;
        int skipped = 0;
        List<String> flipped = new ArrayList<>();
        // 0 workers: rules and judge only, no model sessions
        try (ActiveRecipe before = ActiveRecipe.load(current, recipeDir, 0);
             ActiveRecipe active = ActiveRecipe.load(recipe, recipeDir, 0)) {
            for (Path json : sideCars) {
                JsonNode side = JSON.readTree(json.toFile());
                Map<String, Frame> frames = new HashMap<>();
                try {
                    for (JsonNode img : side.path("images")) {
                        Path png = json.resolveSibling(img.path("file").asText());
                        frames.put(img.path("shot").asText(), FrameImages.toMono8Frame(FrameImages.read(png)));
                    }
                    if (recipe.rules().stream().anyMatch(r -> !frames.containsKey(r.shot()))) {
                        skipped++;
                        continue;
                    }
                    boolean wasPass = verdict(before, frames).passed();
                    Verdict v = verdict(active, frames);
                    parts++;
                    if (wasPass && !v.passed()) {
                        toReject++;
                        flipped.add(side.path("partId").asText() + " PASS→REJECT");
                    } else if (!wasPass && v.passed()) {
                        toPass++;
                        flipped.add(side.path("partId").asText() + " REJECT→PASS");
                    }
                } finally {
                    frames.values().forEach(Frame::close);
                }
            }
        }
        return new Result(parts, toReject, toPass, skipped, flipped);
    }

    private static Verdict verdict(ActiveRecipe active, Map<String, Frame> frames) {
        List<RuleResult> results = FixtureRunner.evaluate(active.rules(), frames::get, active::baseContext);
        return active.judge().decide(results, List.of());
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
