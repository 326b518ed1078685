/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * What {@link YamlBinder} needs to know of one record type, found by reflection once per type and kept. Reading
 * components, annotations and {@code @Default} values again for every record in a file made a 3 MB recipe take
 * 90 s; with this it is linear in the file.
 */
final class RecordShape {
    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    private static final ClassValue<Map<String, Class<?>>> SUBTYPES = new ClassValue<>() {
        @Override
        protected Map<String, Class<?>> computeValue(Class<?> sealed) {
            Map<String, Class<?>> byName = new LinkedHashMap<>();
            for (Class<?> sub : sealed.getPermittedSubclasses()) {
                TypeName name = sub.getAnnotation(TypeName.class);
                if (name == null) {
                    throw new IllegalStateException(sub + " lacks @TypeName");
                }
                byName.put(name.value(), sub);
            }
            return Collections.unmodifiableMap(byName);
        }
    };

    private final List<Component> components;
    private final Map<String, Component> byName;
    private final Constructor<?> constructor;

    private RecordShape(Class<?> type) {
        RecordComponent[] rc = type.getRecordComponents();
        this.components = Arrays.stream(rc).map(Component::of).toList();
        Map<String, Component> names = new LinkedHashMap<>();
        components.forEach(c -> names.put(c.name(), c));
        this.byName = Collections.unmodifiableMap(names);
        try {
            this.constructor = type.getDeclaredConstructor(Arrays.stream(rc).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            constructor.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
        }
    }

    static RecordShape of(Class<?> type) {
        return SHAPES.get(type);
    }

    /** The subtypes of a sealed interface by their {@link TypeName}, in declaration order. */
    static Map<String, Class<?>> subtypes(Class<?> sealed) {
        return SUBTYPES.get(sealed);
    }

    List<Component> components() {
        return components;
    }

    Map<String, Component> byName() {
        return byName;
    }

    Constructor<?> constructor() {
        return constructor;
    }

    /**
     * One record component with its binding annotations.
     *
     * @param defaultValue the {@link Default} as a parsed node (shared, read-only), or null when there is none
     * @param pattern      the {@link Pattern} compiled, or null
     */
    record Component(String name, Class<?> type, Type genericType, @Nullable Range range,
                     java.util.regex.@Nullable Pattern pattern, @Nullable String patternHint, boolean notEmpty,
                     boolean nullable, @Nullable Node defaultValue) {

        static Component of(RecordComponent c) {
            Pattern p = c.getAnnotation(Pattern.class);
            Default d = c.getAnnotation(Default.class);
            Node defaultNode = d == null ? null
                    : new Compose(LoadSettings.builder().build()).composeString(d.value()).orElseThrow();
            return new Component(c.getName(), c.getType(), c.getGenericType(), c.getAnnotation(Range.class),
                    p == null ? null : java.util.regex.Pattern.compile(p.value()),
                    p == null ? null : (p.hint().isEmpty() ? "like " + p.value() : p.hint()),
                    c.isAnnotationPresent(NotEmpty.class), c.getAnnotatedType().isAnnotationPresent(Nullable.class),
                    defaultNode);
        }
    }
}
