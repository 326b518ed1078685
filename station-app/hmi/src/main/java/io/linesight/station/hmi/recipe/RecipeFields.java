/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.RuleSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The thresholds an engineer may edit at the HMI: every number of every rule (limits such as {@code maxCount},
 * {@code minMean}, {@code thresholdValue}) and the model's confidence per class. Read and written through the
 * records' components, so a new rule type is editable without code here; the record's own checks refuse bad values.
 * A rule's ROI is not a number field: it is dragged on the image and set with {@link #withRoi}.
 */
public final class RecipeFields {
    private RecipeFields() {
    }

    /**
     * One editable number.
     *
     * @param rule  index in {@code recipe.rules()}, or -1 for the model
     * @param key   the component name, or {@code classConfidence.<class>} for a model class
     */
    public record Field(int rule, String owner, String key, String value) {
        public String id() {
            return (rule < 0 ? "model" : "rules[" + rule + "]") + "." + key;
        }
    }

    public static List<Field> of(Recipe recipe) {
        List<Field> out = new ArrayList<>();
        for (int i = 0; i < recipe.rules().size(); i++) {
            RuleSpec spec = recipe.rules().get(i);
            for (RecordComponent c : spec.getClass().getRecordComponents()) {
                if (numeric(c.getType())) {
                    Object v = get(c, spec);
                    out.add(new Field(i, spec.name(), c.getName(), v == null ? "" : String.valueOf(v)));
                }
            }
        }
        ModelSpec m = recipe.model();
        if (m != null) {
            out.add(new Field(-1, "model", "confidence", Double.toString(m.confidence())));
            for (String cls : m.classNames()) {
                out.add(new Field(-1, "model", "classConfidence." + cls, Double.toString(m.confidenceFor(cls))));
            }
        }
        return out;
    }

    /**
     * The recipe with one number changed (version unchanged: saving makes the version).
     *
     * @throws IllegalArgumentException naming the field when the value is not a number or the record refuses it
     */
    public static Recipe with(Recipe recipe, Field field, String value) {
        String text = value.strip();
        try {
            if (field.rule() < 0) {
                return new Recipe(recipe.name(), recipe.version(), recipe.productCode(), recipe.description(),
                        recipe.shots(), recipe.rules(), withModel(recipe.model(), field.key(), Double.parseDouble(text)),
                        recipe.judge(), recipe.archive());
            }
            List<RuleSpec> rules = new ArrayList<>(recipe.rules());
            RuleSpec spec = rules.get(field.rule());
            rules.set(field.rule(), withComponent(spec, field.key(), parse(component(spec, field.key()).getType(), text)));
            return new Recipe(recipe.name(), recipe.version(), recipe.productCode(), recipe.description(),
                    recipe.shots(), rules, recipe.model(), recipe.judge(), recipe.archive());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field.id() + ": '" + value + "' is not a number", e);
        }
    }

    /**
     * The recipe with rule {@code rule}'s ROI replaced (version unchanged: saving makes the version).
     *
     * @throws IllegalArgumentException naming the rule when there is no such rule or its record refuses the ROI
     */
    public static Recipe withRoi(Recipe recipe, int rule, Roi roi) {
        if (rule < 0 || rule >= recipe.rules().size()) {
            throw new IllegalArgumentException("rules[" + rule + "]: the recipe has " + recipe.rules().size() + " rules");
        }
        List<RuleSpec> rules = new ArrayList<>(recipe.rules());
        rules.set(rule, withComponent(rules.get(rule), "roi", roi));
        return new Recipe(recipe.name(), recipe.version(), recipe.productCode(), recipe.description(),
                recipe.shots(), rules, recipe.model(), recipe.judge(), recipe.archive());
    }

    private static ModelSpec withModel(ModelSpec m, String key, double v) {
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException("model." + key + ": " + v + " must be within 0..1");
        }
        if (key.equals("confidence")) {
            return new ModelSpec(m.path(), m.shots(), v, m.classConfidence(), m.iou(), m.agnosticNms(), m.maxDetections(),
                    m.classNames(), m.tiling(), m.provider(), m.threads(), m.warmupRuns(), m.mono16Window(), m.allowUnevaluated(),
                m.gpu());
        }
        Map<String, Double> classes = new LinkedHashMap<>(m.classConfidence());
        classes.put(key.substring("classConfidence.".length()), v);
        return new ModelSpec(m.path(), m.shots(), m.confidence(), classes, m.iou(), m.agnosticNms(), m.maxDetections(),
                m.classNames(), m.tiling(), m.provider(), m.threads(), m.warmupRuns(), m.mono16Window(), m.allowUnevaluated(),
                m.gpu());
    }

    private static RecordComponent component(RuleSpec spec, String key) {
        for (RecordComponent c : spec.getClass().getRecordComponents()) {
            if (c.getName().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException(spec.name() + " has no setting '" + key + "'");
    }

    private static RuleSpec withComponent(RuleSpec spec, String key, @Nullable Object value) {
        component(spec, key); // refuses an unknown key by name
        RecordComponent[] cs = spec.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            args[i] = cs[i].getName().equals(key) ? value : get(cs[i], spec);
        }
        try {
            Constructor<?> ctor = spec.getClass()
                    .getDeclaredConstructor(Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return (RuleSpec) ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(spec.name() + "." + key + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild rule " + spec.name() + ": " + e, e);
        }
    }

    private static boolean numeric(Class<?> t) {
        return t == int.class || t == double.class || t == long.class || t == Integer.class || t == Double.class;
    }

    private static @Nullable Object parse(Class<?> t, String text) {
        if (text.isEmpty() && (t == Integer.class || t == Double.class)) {
            return null;
        }
        if (t == int.class || t == Integer.class) {
            return Integer.parseInt(text);
        }
        if (t == long.class) {
            return Long.parseLong(text);
        }
        return Double.parseDouble(text);
    }

    private static Object get(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + ": " + e, e);
        }
    }
}
