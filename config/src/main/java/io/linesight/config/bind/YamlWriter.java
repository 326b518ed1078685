/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Writes config records back as YAML that {@link YamlBinder} reads to an equal record (used when saving recipes). */
public final class YamlWriter {
    private YamlWriter() {
    }

    public static String write(Object record) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).build();
        return new Dump(settings).dumpToString(plain(record));
    }

    private static @Nullable Object plain(@Nullable Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v;
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) (double) d : d;
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(plain(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v.getClass().isRecord()) {
            Map<String, Object> out = new LinkedHashMap<>();
            TypeName typeName = v.getClass().getAnnotation(TypeName.class);
            if (typeName != null) {
                out.put("type", typeName.value());
            }
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                try {
                    Object value = plain(c.getAccessor().invoke(v));
                    if (value != null) {
                        out.put(c.getName(), value);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("cannot write " + v.getClass());
    }
}
