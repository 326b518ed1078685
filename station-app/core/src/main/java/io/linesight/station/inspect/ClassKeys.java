/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.JudgePolicy;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.rule.RuleSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The judge's settings that name a defect class (or, for weights, a rule), checked against the classes the model
 * really has (the detector checks its own {@code model.classConfidence}). Only known once the model is open, so not in the recipe loader. A misspelt name would be silently
 * ignored: a class meant to be judged more strictly (its own confidence, count limit or weight) would fall back to the
 * defaults and its defects could pass. The station checks when it loads a recipe; {@code check-recipe} opens the
 * model too, and names the lines.
 */
public final class ClassKeys {
    private ClassKeys() {
    }

    /**
     * @param classNames the model's classes; empty when the recipe has no model
     * @throws ConfigException naming every setting whose key is neither a class (nor, for weights, a rule)
     */
    static void check(Recipe recipe, String modelLabel, List<String> classNames) throws ConfigException {
        check(recipe, recipe.label(), path -> 0, modelLabel, classNames);
    }

    /**
     * @param source     how to name the recipe in errors (its file)
     * @param lineOf     the line of a field path in that file, 0 when unknown
     * @param classNames the model's classes; empty when the recipe has no model
     * @throws ConfigException naming every setting whose key is neither a class (nor, for weights, a rule)
     */
    public static void check(Recipe recipe, String source, ToIntFunction<String> lineOf, String modelLabel,
                             List<String> classNames) throws ConfigException {
        Set<String> classes = Set.copyOf(classNames);
        Set<String> rules = recipe.rules().stream().map(RuleSpec::name).collect(Collectors.toSet());
        String known = classNames.isEmpty() ? "the recipe has no model" : "classes of " + modelLabel + ": "
                + String.join(", ", new TreeSet<>(classNames));
        List<ConfigError> errors = new ArrayList<>();
        JudgePolicy judge = recipe.judge();
        unknown(source, lineOf, "judge.toleratedClasses", judge.toleratedClasses(), classes, known, errors);
        unknown(source, lineOf, "judge.maxDefectsByClass", judge.maxDefectsByClass().keySet(), classes, known, errors);
        for (int i = 0; i < judge.zones().size(); i++) {
            unknown(source, lineOf, "judge.zones[" + i + "].classes", judge.zones().get(i).classes(), classes, known,
                    errors);
        }
        for (String key : new TreeSet<>(judge.weights().keySet())) {
            if (!classes.contains(key) && !rules.contains(key)) {
                String path = "judge.weights." + key;
                errors.add(new ConfigError(source, lineOf.applyAsInt(path), path, null,
                        "is neither a rule of the recipe nor a class (" + known + ")"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private static void unknown(String source, ToIntFunction<String> lineOf, String path, Collection<String> keys,
                                Set<String> classes, String known, List<ConfigError> errors) {
        for (String key : new TreeSet<>(keys)) {
            if (!classes.contains(key)) {
                errors.add(new ConfigError(source, lineOf.applyAsInt(path), path, key, "is not a class (" + known + ")"));
            }
        }
    }
}
