/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect.anomaly;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.Shot;
import io.linesight.inference.api.InferenceException;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The anomaly models of a recipe, loaded once with it (like its detector): one per shot that has an {@code anomaly:}
 * section, one session per inspection worker.
 *
 * <p>{@link #run} is called by an inspection worker's anomaly task with the worker's index; sessions are not shared
 * between workers, so two parts never score on one session at once. {@link #close()} after the recipe's last part.
 */
public final class AnomalyModels implements AutoCloseable {
    /** A recipe without anomaly models. */
    public static final AnomalyModels NONE = new AnomalyModels(List.of());

    private final List<ShotAnomalyModel> shots;
    private final List<String> onCpuAgainstTheRecipe;

    private AnomalyModels(List<ShotAnomalyModel> shots) {
        this.shots = List.copyOf(shots);
        // sessions keep the provider they opened on: known once, read on every alarm check
        this.onCpuAgainstTheRecipe = this.shots.stream()
                .filter(m -> !m.requestedProvider().equals("cpu") && m.provider().equalsIgnoreCase("CPU"))
                .map(m -> "anomaly model " + m.label() + " of shot " + m.shot() + ": the recipe asks for "
                        + m.requestedProvider() + ", it runs on " + m.provider()).toList();
    }

    /**
     * What the models found on one part: a score per shot they ran on, and a reason per shot whose model could not
     * run (such a part is rejected, never passed).
     */
    public record Outcome(List<ShotAnomaly> found, List<Reason> errors) {
        public static final Outcome NONE = new Outcome(List.of(), List.of());

        public Outcome {
            found = List.copyOf(found);
            errors = List.copyOf(errors);
        }
    }

    /**
     * Opens the models of every shot with an {@code anomaly:} section; on failure nothing stays open. With no
     * workers none is opened: a recipe loaded for its rules and judge alone (the HMI's preview) needs no sessions.
     *
     * @throws InferenceException naming the model file that cannot be loaded
     */
    public static AnomalyModels load(Recipe recipe, Path recipeDir, int workers) throws InferenceException {
        if (workers <= 0) {
            return NONE;
        }
        List<ShotAnomalyModel> opened = new ArrayList<>();
        try {
            for (Shot s : recipe.shots()) {
                if (s.anomaly() != null) {
                    opened.add(ShotAnomalyModel.open(s.name(), s.anomaly(), recipeDir, workers));
                }
            }
        } catch (InferenceException | RuntimeException e) {
            opened.forEach(ShotAnomalyModel::close);
            throw e;
        }
        return opened.isEmpty() ? NONE : new AnomalyModels(opened);
    }

    /**
     * The shots whose anomaly model asked for a GPU and runs on CPU (the provider could not start), one line each:
     * "anomaly model M of shot S: the recipe asks for cuda, it runs on CPU".
     */
    public List<String> onCpuAgainstTheRecipe() {
        return onCpuAgainstTheRecipe;
    }

    public boolean isEmpty() {
        return shots.isEmpty();
    }

    /** {@code shot=file} of each model, for the station's model label; empty when none. */
    public String label() {
        return String.join(", ", shots.stream().map(s -> s.shot() + "=" + s.label()).toList());
    }

    /** Scores each shot that has a model; a shot missing from the part or a model that fails is an error reason. */
    public Outcome run(int worker, AcquiredPart part) {
        if (shots.isEmpty()) {
            return Outcome.NONE;
        }
        List<ShotAnomaly> found = new ArrayList<>();
        List<Reason> errors = new ArrayList<>();
        for (ShotAnomalyModel m : shots) {
            ShotFrame sf = part.shot(m.shot());
            if (sf == null) {
                errors.add(new Reason(ReasonCode.INFERENCE_ERROR, m.shot(), "anomaly model " + m.label()
                        + ": the part has no image of this shot"));
                continue;
            }
            try {
                found.add(m.score(worker, sf.frame()));
            } catch (InferenceException | RuntimeException e) {
                errors.add(new Reason(ReasonCode.INFERENCE_ERROR, m.shot(), "anomaly model " + m.label() + ": "
                        + e.getMessage()));
            }
        }
        return new Outcome(found, errors);
    }

    @Override
    public void close() {
        shots.forEach(ShotAnomalyModel::close);
    }
}
