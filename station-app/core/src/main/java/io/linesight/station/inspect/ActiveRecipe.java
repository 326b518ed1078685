/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import io.linesight.config.ConfigException;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.inference.api.Detector;
import io.linesight.inference.api.Detectors;
import io.linesight.inference.api.InferenceException;
import io.linesight.rules.Rule;
import io.linesight.rules.RuleContext;
import io.linesight.rules.Rules;
import io.linesight.rules.judge.Judge;
import io.linesight.station.inspect.anomaly.AnomalyModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A recipe ready to run: its rules built, its judge, and one model session per inspection worker (sessions are not
 * shared between threads). Built completely before a changeover, so a recipe that cannot load never replaces the
 * running one.
 */
public final class ActiveRecipe implements AutoCloseable {
    private final Recipe recipe;
    private final List<Rule> rules;
    private final Judge judge;
    private final List<Detector> detectors;
    private final String modelLabel;
    private final AnomalyModels anomalies;

    private final Map<String, Double> mmPerPixel;
    /** The station's reference while active plus one per part in the pipeline; 0 means closed. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private ActiveRecipe(Recipe recipe, List<Rule> rules, Map<String, Double> mmPerPixel, List<Detector> detectors,
                         AnomalyModels anomalies) {
        this.recipe = recipe;
        this.anomalies = anomalies;
        this.rules = rules;
        this.mmPerPixel = Map.copyOf(mmPerPixel);
        this.judge = new Judge(recipe, this.mmPerPixel);
        this.detectors = detectors;
        String detector = detectors.isEmpty() ? "" : label(detectors.getFirst());
        this.modelLabel = anomalies.isEmpty() ? detector
                : (detector.isEmpty() ? "" : detector + ", ") + "anomaly " + anomalies.label();
    }

    /** Builds rules and opens {@code workers} sessions of each model (detector, anomaly); on failure nothing stays open. */
    public static ActiveRecipe load(Recipe recipe, Path recipeDir, int workers) throws InferenceException, ConfigException {
        List<Rule> rules = Rules.of(recipe, recipeDir);
        Map<String, Double> mmPerPixel = Rules.mmPerPixel(recipe, recipeDir);
        List<Detector> detectors = new ArrayList<>();
        ModelSpec model = recipe.model();
        if (model != null) {
            Path file = RecipeLoader.resolve(recipeDir, model.path());
            try {
                for (int i = 0; i < workers; i++) {
                    detectors.add(Detectors.open(model, file));
                }
                if (!detectors.isEmpty()) {
                    ClassKeys.check(recipe, label(detectors.getFirst()), detectors.getFirst().info().classNames());
                }
            } catch (InferenceException | ConfigException | RuntimeException e) {
                detectors.forEach(Detector::close);
                Rules.close(rules);
                throw e;
            }
        }
        if (model == null) {
            try {
                ClassKeys.check(recipe, "", List.of()); // weights may name rules only
            } catch (ConfigException e) {
                Rules.close(rules);
                throw e;
            }
        }
        AnomalyModels anomalies;
        try {
            anomalies = AnomalyModels.load(recipe, recipeDir, workers);
        } catch (InferenceException | RuntimeException e) {
            detectors.forEach(Detector::close);
            Rules.close(rules);
            throw e;
        }
        return new ActiveRecipe(recipe, rules, mmPerPixel, detectors, anomalies);
    }

    /** The anomaly models of the recipe's shots ({@link AnomalyModels#NONE} when it has none). */
    public AnomalyModels anomalies() {
        return anomalies;
    }

    /** How a model is named in verdicts and errors: its file name and the start of its SHA-256. */
    public static String label(Detector d) {
        String file = Path.of(d.info().file()).getFileName().toString();
        String sha = d.info().sha256();
        return file + "@" + (sha.length() > 12 ? sha.substring(0, 12) : sha);
    }

    public Recipe recipe() {
        return recipe;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rule context of a shot before any fixture moves it: its calibration scale (0 when uncalibrated). */
    public RuleContext baseContext(String shot) {
        Double mm = mmPerPixel.get(shot);
        return mm == null ? RuleContext.NONE : new RuleContext(0, 0, 0, mm);
    }

    public Judge judge() {
        return judge;
    }

    /** The detector of one worker, or null for a rules-only recipe. */
    public @Nullable Detector detector(int worker) {
        return detectors.isEmpty() ? null : detectors.get(worker % detectors.size());
    }

    /** {@code file@hash} of the detector, then {@code anomaly shot=file, …} of the anomaly models; empty for none. */
    public String modelLabel() {
        return modelLabel;
    }

    /**
     * The execution provider actually running the model ({@code CPU}, {@code CUDA}, {@code TensorRT}), or empty. Each
     * worker has its own session, and one may have fallen back where another did not (the GPU's memory ran out):
     * then every provider in use is named, {@code CUDA, CPU}.
     */
    public String executionProvider() {
        return detectors.stream().map(d -> d.info().executionProvider()).distinct()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The anomaly models that asked for a GPU and run on CPU, one line each; empty when none. */
    public List<String> anomalyOnCpu() {
        return anomalies.onCpuAgainstTheRecipe();
    }

    /**
     * Takes a reference for a part that will be imaged or inspected with this recipe. False once the recipe was
     * released by the station and its last part finished: then it is closed or closing and must not be used.
     */
    public boolean retain() {
        while (true) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /**
     * Gives a reference back. The last one (the station's own, dropped at a changeover, or the last part's after it)
     * closes the recipe's model sessions, on a thread of its own: never while a part still runs them.
     */
    public void release() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            Thread.ofVirtual().name("recipe-close").start(this::close);
        } else if (left < 0) {
            refs.incrementAndGet();
            throw new IllegalStateException("recipe " + recipe.label() + " released more often than retained");
        }
    }

    /** References held: the station's while the recipe is active, plus one per part in the pipeline. */
    public int references() {
        return refs.get();
    }

    /** Whether the model sessions are closed. */
    public boolean closed() {
        return closed.get();
    }

    /** Closes the model sessions now; prefer {@link #release()}, which waits for the parts that use them. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            detectors.forEach(Detector::close);
            anomalies.close();
            Rules.close(rules); // golden and template images (native memory)
        }
    }
}
