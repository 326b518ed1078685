/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.bind.Bound;
import io.linesight.config.bind.YamlBinder;
import io.linesight.config.recipe.rule.GoldenRuleSpec;
import io.linesight.config.recipe.rule.RuleSpec;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.config.station.CameraConfig;
import io.linesight.config.station.LightConfig;
import io.linesight.config.station.StationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Loads a recipe and checks it as a whole: names unique, every rule and judge zone on an existing shot, every path
 * inside the recipe store, and, when the station is known, every camera and light controller present and every ROI
 * inside its camera's frame. All problems are reported together; nothing is applied unless there are none.
 */
public final class RecipeLoader {
    private RecipeLoader() {
    }

    /**
     * @param file      the recipe file
     * @param label     how to name the file in errors
     * @param recipeDir the recipe store that model and image paths are resolved in and cannot leave
     * @param station   the station to check cameras, lights and ROIs against, or null to check the recipe alone
     */
    public static Recipe load(Path file, String label, Path recipeDir, @Nullable StationConfig station) throws ConfigException {
        return checked(YamlBinder.bind(file, label, Recipe.class), recipeDir, station);
    }

    /**
     * {@link #load}, keeping the line of every field path, for checks made afterwards that should name lines too
     * (check-recipe's model checks).
     */
    public static Bound<Recipe> loadWithLines(Path file, String label, Path recipeDir, @Nullable StationConfig station)
            throws ConfigException {
        Bound<Recipe> bound = YamlBinder.bind(file, label, Recipe.class);
        checked(bound, recipeDir, station);
        return bound;
    }

    /** Binds recipe text received over the wire (e.g. {@code cmd/recipe}); same checks as a file. */
    public static Recipe parse(String yaml, String label, Path recipeDir, @Nullable StationConfig station) throws ConfigException {
        return checked(YamlBinder.bind(label, yaml, Recipe.class), recipeDir, station);
    }

    /**
     * Binds recipe bytes received over the wire (an MQTT payload): UTF-8 is checked like a file's, with the line and
     * byte offset of a bad byte; same checks as a file.
     */
    public static Recipe parse(byte[] yaml, String label, Path recipeDir, @Nullable StationConfig station) throws ConfigException {
        return checked(YamlBinder.bind(label, yaml, Recipe.class), recipeDir, station);
    }

    private static Recipe checked(Bound<Recipe> bound, Path recipeDir, @Nullable StationConfig station) throws ConfigException {
        List<ConfigError> errors = check(bound, recipeDir, station);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return bound.value();
    }

    static List<ConfigError> check(Bound<Recipe> bound, Path recipeDir, @Nullable StationConfig station) {
        Recipe r = bound.value();
        List<ConfigError> errors = new ArrayList<>();
        Set<String> shotNames = new HashSet<>();
        for (int i = 0; i < r.shots().size(); i++) {
            Shot s = r.shots().get(i);
            if (!shotNames.add(s.name())) {
                errors.add(bound.error("shots[" + i + "].name", s.name(), "is used by another shot"));
            }
        }
        String knownShots = r.shots().stream().map(Shot::name).collect(Collectors.joining(", "));
        Set<String> ruleNames = new HashSet<>();
        for (int i = 0; i < r.rules().size(); i++) {
            RuleSpec rule = r.rules().get(i);
            String p = "rules[" + i + "]";
            if (!ruleNames.add(rule.name())) {
                errors.add(bound.error(p + ".name", rule.name(), "is used by another rule"));
            }
            if (!shotNames.contains(rule.shot())) {
                errors.add(bound.error(p + ".shot", rule.shot(), "is not a shot of this recipe (shots: " + knownShots + ")"));
            }
            // Taught images may not exist yet (teach writes them), but they can only ever be inside the store.
            switch (rule) {
                case TemplateRuleSpec t -> checkInsideStore(bound, p + ".image", t.image(), recipeDir, errors);
                case GoldenRuleSpec g -> {
                    checkInsideStore(bound, p + ".image", g.image(), recipeDir, errors);
                    if (g.mask() != null) {
                        checkInsideStore(bound, p + ".mask", g.mask(), recipeDir, errors);
                    }
                }
                default -> {
                    // the other rules read no files
                }
            }
        }
        for (int i = 0; i < r.shots().size(); i++) {
            AnomalySpec a = r.shots().get(i).anomaly();
            if (a != null) {
                AnomalyChecks.check(bound, "shots[" + i + "].anomaly", a, recipeDir, errors);
            }
        }
        // A zone on a shot no detection comes from would never apply, so a critical zone would silently not be one;
        // two zones of one name would make a reason that names it ambiguous.
        Set<String> zoneNames = new HashSet<>();
        for (int i = 0; i < r.judge().zones().size(); i++) {
            String zoneShot = r.judge().zones().get(i).shot();
            if (!zoneNames.add(r.judge().zones().get(i).name())) {
                errors.add(bound.error("judge.zones[" + i + "].name", r.judge().zones().get(i).name(),
                        "is used by another zone"));
            }
            if (zoneShot != null && !shotNames.contains(zoneShot)) {
                errors.add(bound.error("judge.zones[" + i + "].shot", zoneShot,
                        "is not a shot of this recipe (shots: " + knownShots + ")"));
            }
        }
        if (r.model() != null) {
            ModelSpec m = r.model();
            if (checkStorePath(bound, "model.path", m.path(), recipeDir, errors) && !m.allowUnevaluated()) {
                checkEvaluated(bound, m.path(), recipeDir.resolve(m.path()), errors);
            }
            for (int i = 0; i < m.shots().size(); i++) {
                if (!shotNames.contains(m.shots().get(i))) {
                    errors.add(bound.error("model.shots[" + i + "]", m.shots().get(i),
                            "is not a shot of this recipe (shots: " + knownShots + ")"));
                }
            }
            checkProvider(bound, "model.provider", m.provider(), errors);
        }
        if (station != null) {
            checkAgainstStation(bound, station, recipeDir, errors);
        }
        errors.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return errors;
    }

    private static void checkAgainstStation(Bound<Recipe> bound, StationConfig station, Path recipeDir,
                                            List<ConfigError> errors) {
        Recipe r = bound.value();
        String cameraIds = station.cameras().stream().map(CameraConfig::id).collect(Collectors.joining(", "));
        String lightIds = station.lights().stream().map(LightConfig::id).collect(Collectors.joining(", "));
        for (int i = 0; i < r.shots().size(); i++) {
            Shot s = r.shots().get(i);
            if (camera(station, s.camera()) == null) {
                errors.add(bound.error("shots[" + i + "].camera", s.camera(),
                        "is not a camera of station " + station.station() + " (cameras: " + cameraIds + ")"));
            }
            if (station.trigger().source() == io.linesight.config.station.TriggerConfig.Source.HARDWARE) {
                for (int k = 0; k < i; k++) {
                    if (r.shots().get(k).camera().equals(s.camera())) {
                        errors.add(bound.error("shots[" + i + "].camera", s.camera(), "is already used by shot "
                                + r.shots().get(k).name() + ": with trigger.source hardware one line edge fires each camera "
                                + "once per part, so each camera can take one shot (use another camera, or software triggers)"));
                        break;
                    }
                }
            }
            // an exposure the frame can never outlast: every part would be CAMERA_FAULT or TIMEOUT
            CameraConfig shotCamera = camera(station, s.camera());
            if (shotCamera != null && s.exposureUs() >= shotCamera.frameTimeoutMs() * 1000.0) {
                errors.add(bound.error("shots[" + i + "].exposureUs", s.exposureUs(), "is not shorter than the "
                        + shotCamera.frameTimeoutMs() + " ms frame timeout of camera " + shotCamera.id()
                        + " (cameras[].frameTimeoutMs): no frame could arrive in time"));
            } else if (s.exposureUs() >= station.deadlineMs() * 1000.0) {
                errors.add(bound.error("shots[" + i + "].exposureUs", s.exposureUs(), "is not shorter than the station's "
                        + station.deadlineMs() + " ms deadline (deadlineMs): every part would time out"));
            }
            if (s.light() != null && station.lights().stream().noneMatch(l -> l.id().equals(s.light().controller()))) {
                errors.add(bound.error("shots[" + i + "].light.controller", s.light().controller(),
                        "is not a light controller of station " + station.station()
                                + " (controllers: " + (lightIds.isEmpty() ? "none" : lightIds) + ")"));
            }
        }
        for (int i = 0; i < r.shots().size(); i++) {
            Shot s = r.shots().get(i);
            CameraConfig cam = camera(station, s.camera());
            if (s.anomaly() != null && cam != null) {
                AnomalyChecks.checkFrame(bound, "shots[" + i + "].anomaly", s.anomaly(), recipeDir, cam, errors);
            }
        }
        // A zone wholly outside the frame of every shot it applies to never contains a detection: a critical zone
        // there would reject nothing. (One reaching past the frame is fine: only its part inside can hold a box.)
        for (int i = 0; i < r.judge().zones().size(); i++) {
            JudgePolicy.Zone z = r.judge().zones().get(i);
            List<CameraConfig> cams = r.shots().stream().filter(s -> z.shot() == null || z.shot().equals(s.name()))
                    .map(s -> camera(station, s.camera())).filter(c -> c != null).toList();
            if (!cams.isEmpty() && cams.stream().noneMatch(c -> z.roi().overlaps(c.width(), c.height()))) {
                Roi roi = z.roi();
                errors.add(bound.error("judge.zones[" + i + "].roi", roi.x() + "," + roi.y() + " " + roi.width() + "x"
                        + roi.height(), "lies wholly outside the frame of " + cams.stream().map(c -> c.width() + "x"
                        + c.height() + " (camera " + c.id() + ")").distinct().collect(Collectors.joining(", "))
                        + ": no detection can be in it"));
            }
        }
        for (int i = 0; i < r.rules().size(); i++) {
            RuleSpec rule = r.rules().get(i);
            Shot shot = r.shot(rule.shot());
            CameraConfig cam = shot == null ? null : camera(station, shot.camera());
            if (cam != null && !rule.roi().fitsIn(cam.width(), cam.height())) {
                Roi roi = rule.roi();
                errors.add(bound.error("rules[" + i + "].roi", roi.x() + "," + roi.y() + " " + roi.width() + "x" + roi.height(),
                        "must lie inside the " + cam.width() + "x" + cam.height() + " frame of camera " + cam.id()));
            }
        }
    }

    private static @Nullable CameraConfig camera(StationConfig station, String id) {
        return station.cameras().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /**
     * {@code ./station eval} is the one judge of a model: a recipe runs only a model whose evaluation record is there
     * and was made for exactly this file, so a retrained or swapped file cannot go on the line unjudged.
     */
    private static void checkEvaluated(Bound<Recipe> bound, String value, Path model, List<ConfigError> errors) {
        Path file = EvaluationRecord.fileFor(model);
        String how = "; run `./station eval --model " + value + " --dataset DIR` on labelled images of this part"
                + " (it writes the record), or set model.allowUnevaluated: true to run it anyway";
        if (!Files.isRegularFile(file)) {
            errors.add(bound.error("model.path", value, "has no evaluation record (" + file.getFileName() + ")" + how));
            return;
        }
        try {
            EvaluationRecord record = EvaluationRecord.read(file);
            String actual = EvaluationRecord.sha256(model);
            if (!record.sha256().equals(actual)) {
                errors.add(bound.error("model.path", value, "changed since it was evaluated: " + file.getFileName()
                        + " is for sha256 " + record.sha256().substring(0, Math.min(12, record.sha256().length()))
                        + "…, the file is " + actual.substring(0, 12) + "…" + how));
            }
        } catch (IOException e) {
            errors.add(bound.error("model.path", value, "evaluation record unreadable: " + e.getMessage() + how));
        }
    }

    /** A model section's {@code provider}: one of {@link ModelSpec.GpuSpec#PROVIDERS}. */
    static void checkProvider(Bound<Recipe> bound, String path, String provider, List<ConfigError> errors) {
        if (!ModelSpec.GpuSpec.PROVIDERS.contains(provider)) {
            errors.add(bound.error(path, provider, "must be one of: " + String.join(", ", ModelSpec.GpuSpec.PROVIDERS)));
        }
    }

    /**
     * A path from a recipe must be relative, really lie inside the store (symbolic links followed), and be a file
     * there; returns whether it does.
     */
    static boolean checkStorePath(Bound<Recipe> bound, String path, String value, Path recipeDir, List<ConfigError> errors) {
        try {
            StorePaths.existingFile(recipeDir, value);
            return true;
        } catch (StorePathException e) {
            errors.add(bound.error(path, value, String.valueOf(e.getMessage())));
            return false;
        }
    }

    private static void checkInsideStore(Bound<Recipe> bound, String path, String value, Path recipeDir,
                                         List<ConfigError> errors) {
        try {
            StorePaths.resolve(recipeDir, value);
        } catch (StorePathException e) {
            errors.add(bound.error(path, value, String.valueOf(e.getMessage())));
        }
    }

    /**
     * Resolves a path from a checked recipe against the store, following symbolic links (see {@link StorePaths}).
     *
     * @throws IllegalArgumentException when it does not lead to a place inside the store
     */
    public static Path resolve(Path recipeDir, String value) {
        try {
            return StorePaths.resolve(recipeDir, value);
        } catch (StorePathException e) {
            throw new IllegalArgumentException(value + " " + e.getMessage(), e);
        }
    }
}
