/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import io.linesight.config.ConfigError;
import io.linesight.config.ConfigException;
import java.io.Serial;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Binds YAML onto immutable records and collects every error with file, line and field path.
 *
 * <p>Rules: keys are the record component names; a key the record does not have is an error (a typo must not
 * pass silently); a missing key takes its {@link Default}, or null when the component is {@code @Nullable}, or an
 * empty list/map; otherwise it is required. {@link Range}, {@link Pattern} and {@link NotEmpty} are checked here;
 * an {@link IllegalArgumentException} from a record's compact constructor becomes an error at that record's path.
 * A sealed interface is bound through the {@code type:} key against its subtypes' {@link TypeName}. Every number
 * bound to a {@code double} must be finite ({@code NaN} or infinity as a limit would switch a check off), and text
 * may hold no control characters but tab and line feed.
 *
 * <p>Input is read within {@link YamlLimits} by {@link YamlReader}; binding stops after
 * {@link YamlLimits#MAX_ERRORS} errors, {@link YamlLimits#VALUES_PER_NODE} values per node of the document or
 * {@link YamlLimits#MAX_DEPTH} levels (aliases can make a small file deep or large). A {@link ConfigException} is the only outcome for bad input.
 *
 * <p>Not thread-safe; one instance per file. Use the static {@link #bind} methods.
 */
public final class YamlBinder {
    private static final String TYPE_KEY = "type";
    private static final java.util.regex.Pattern NON_FINITE =
            java.util.regex.Pattern.compile("[-+]?(\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|[Ii]nfinity|NaN|nan)");

    private final String file;
    private final int maxValues;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Map<String, Integer> lines = new HashMap<>();
    private int depth;
    private int values;

    /** Binding stopped at a limit; {@link #errors} says which. */
    private static final class Abandoned extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super(null, null, false, false);
        }
    }

    private YamlBinder(String file, int documentNodes) {
        this.file = file;
        this.maxValues = (int) Math.min(Integer.MAX_VALUE,
                Math.max(YamlLimits.MIN_VALUES, (long) YamlLimits.VALUES_PER_NODE * documentNodes));
    }

    /** Reads and binds a file; {@code label} is how the file is named in errors (usually as the user typed it). */
    public static <T> Bound<T> bind(Path path, String label, Class<T> type) throws ConfigException {
        return bind(label, YamlReader.readFile(path, label), type);
    }

    /** Binds a file's bytes (UTF-8), e.g. a recipe received over the wire; the same limits as a file. */
    public static <T> Bound<T> bind(String label, byte[] yaml, Class<T> type) throws ConfigException {
        return bind(label, YamlReader.decode(label, yaml), type);
    }

    public static <T> Bound<T> bind(String label, String yaml, Class<T> type) throws ConfigException {
        YamlReader.Document document = YamlReader.compose(label, yaml);
        if (document == null) {
            throw new ConfigException(List.of(new ConfigError(label, 1, "", null, "is empty")));
        }
        YamlBinder binder = new YamlBinder(label, document.nodes());
        Object value = null;
        boolean abandoned = false;
        try {
            value = binder.value(document.root(), type, "");
        } catch (Abandoned e) {
            abandoned = true;
        }
        if (!binder.errors.isEmpty() || value == null) {
            if (binder.errors.isEmpty()) {
                binder.errors.add(new ConfigError(label, 1, "", null, "is empty"));
            }
            binder.errors.sort((a, b) -> Integer.compare(a.line(), b.line()));
            if (abandoned && binder.errors.size() >= YamlLimits.MAX_ERRORS) {
                binder.errors.add(new ConfigError(label, 0, "", null, "has more errors: the first "
                        + YamlLimits.MAX_ERRORS + " are listed"));
            }
            throw new ConfigException(binder.errors);
        }
        return new Bound<>(type.cast(value), label, binder.lines);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    private @Nullable Object value(Node node, Type type, String path) {
        if (++values > maxValues) {
            fail(node, path, null, "expands through aliases to more than " + YamlLimits.VALUES_PER_NODE
                    + " values per node of the document");
            throw new Abandoned();
        }
        boolean collection = node instanceof MappingNode || node instanceof SequenceNode;
        if (collection && ++depth > YamlLimits.MAX_DEPTH) {
            fail(node, path, null, "nests lists and mappings more than " + YamlLimits.MAX_DEPTH
                    + " levels deep (through an alias that refers to what contains it?)");
            throw new Abandoned();
        }
        try {
            return valueOf(node, type, path);
        } finally {
            if (collection) {
                depth--;
            }
        }
    }

    private @Nullable Object valueOf(Node node, Type type, String path) {
        lines.putIfAbsent(path, line(node));
        Class<?> raw = raw(type);
        if (isNull(node)) {
            return null;
        }
        if (raw.isRecord()) {
            return record(node, raw, path, null);
        }
        if (raw.isSealed() && raw.isInterface()) {
            return sealed(node, raw, path);
        }
        if (List.class.isAssignableFrom(raw)) {
            return list(node, elementType(type, 0), path);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return map(node, elementType(type, 1), path);
        }
        if (!(node instanceof ScalarNode scalar)) {
            return fail(node, path, null, "must be a single value, not a " + kind(node));
        }
        String text = scalar.getValue();
        try {
            if (raw == String.class) {
                return text(node, path, text);
            }
            if (raw == int.class || raw == Integer.class) {
                return Integer.parseInt(text.replace("_", ""));
            }
            if (raw == long.class || raw == Long.class) {
                return Long.parseLong(text.replace("_", ""));
            }
            if (raw == double.class || raw == Double.class) {
                return finite(node, path, text);
            }
            if (raw == boolean.class || raw == Boolean.class) {
                return switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> true;
                    case "false", "no", "off" -> false;
                    default -> fail(node, path, text, "must be true or false");
                };
            }
        } catch (NumberFormatException e) {
            String what = (raw == double.class || raw == Double.class) ? "a number" : "a whole number";
            return fail(node, path, text, "must be " + what);
        }
        if (raw.isEnum()) {
            return enumValue(node, raw, text, path);
        }
        return fail(node, path, text, "cannot be bound to " + raw.getSimpleName());
    }

    /** A number that can be compared: NaN and infinity pass every {@code x > limit} test the wrong way. */
    private @Nullable Object finite(Node node, String path, String text) {
        if (NON_FINITE.matcher(text.trim()).matches()) {
            return fail(node, path, text, "must be a finite number (NaN or infinity would switch the check off)");
        }
        double d = Double.parseDouble(text.replace("_", ""));
        if (!Double.isFinite(d)) {
            return fail(node, path, text, "must be a finite number (this one is beyond the range of a double)");
        }
        return d;
    }

    /** Text as bound: NUL and other control characters (only reachable through escapes) are refused. */
    private @Nullable Object text(Node node, String path, String text) {
        int bad = firstControl(text);
        if (bad >= 0) {
            return fail(node, path, text, String.format(Locale.ROOT, "contains the character U+%04X at position %d; "
                    + "NUL, other control characters and unpaired surrogates are not allowed", (int) text.charAt(bad), bad + 1));
        }
        return text;
    }

    /** Index of the first control character other than tab and line feed, or of an unpaired surrogate; -1 if none. */
    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f)) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private @Nullable Object enumValue(Node node, Class<?> raw, String text, String path) {
        String wanted = text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (Object constant : raw.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(wanted)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(raw.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        return fail(node, path, text, "must be one of: " + allowed);
    }

    private @Nullable Object list(Node node, Type elementType, String path) {
        if (!(node instanceof SequenceNode seq)) {
            return fail(node, path, null, "must be a list");
        }
        List<Object> out = new ArrayList<>();
        List<Node> items = seq.getValue();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Object v = value(items.get(i), elementType, itemPath);
            if (v == null && !isNull(items.get(i))) {
                continue; // error already recorded
            }
            if (v == null) {
                fail(items.get(i), itemPath, null, "must not be empty");
                continue;
            }
            out.add(v);
        }
        return Collections.unmodifiableList(out);
    }

    private @Nullable Object map(Node node, Type valueType, String path) {
        if (!(node instanceof MappingNode mapping)) {
            return fail(node, path, null, "must be a mapping of key: value");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = keyOf(t, path);
            if (key == null) {
                continue;
            }
            String keyPath = join(path, key);
            if (firstControl(key) >= 0) {
                fail(t.getKeyNode(), path, key, "is a key with a control character or an unpaired surrogate; they are "
                        + "not allowed");
                continue;
            }
            if (out.containsKey(key)) {
                fail(t.getKeyNode(), keyPath, null, "appears twice");
                continue;
            }
            Object v = value(t.getValueNode(), valueType, keyPath);
            if (v != null) {
                out.put(key, v);
            } else if (isNull(t.getValueNode())) {
                fail(t.getValueNode(), keyPath, null, "must have a value");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private @Nullable Object sealed(Node node, Class<?> iface, String path) {
        if (!(node instanceof MappingNode mapping)) {
            return fail(node, path, null, "must be a mapping with a 'type' key");
        }
        Map<String, Class<?>> byName = RecordShape.subtypes(iface);
        Optional<NodeTuple> typeTuple = mapping.getValue().stream()
                .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(TYPE_KEY))
                .findFirst();
        if (typeTuple.isEmpty()) {
            return fail(node, join(path, TYPE_KEY), null, "is required (one of: " + String.join(", ", byName.keySet()) + ")");
        }
        Node typeNode = typeTuple.get().getValueNode();
        String typeName = typeNode instanceof ScalarNode s ? s.getValue() : "";
        Class<?> sub = byName.get(typeName);
        if (sub == null) {
            return fail(typeNode, join(path, TYPE_KEY), typeName,
                    "is not a known type (one of: " + String.join(", ", byName.keySet()) + ")");
        }
        return record(node, sub, path, TYPE_KEY);
    }

    private @Nullable Object record(Node node, Class<?> type, String path, @Nullable String ignoredKey) {
        if (!(node instanceof MappingNode mapping)) {
            return fail(node, path, null, "must be a mapping of key: value");
        }
        RecordShape shape = RecordShape.of(type);
        Map<String, RecordShape.Component> byName = shape.byName();
        Map<String, NodeTuple> present = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = keyOf(t, path);
            if (key == null || key.equals(ignoredKey)) {
                continue;
            }
            String keyPath = join(path, key);
            if (!byName.containsKey(key)) {
                fail(t.getKeyNode(), keyPath, null, "is not a known key" + suggestion(key, byName.keySet()));
                continue;
            }
            if (present.containsKey(key)) {
                fail(t.getKeyNode(), keyPath, null, "appears twice (first on line " + line(present.get(key).getKeyNode()) + ")");
                continue;
            }
            present.put(key, t);
        }
        int errorsBefore = errors.size();
        List<RecordShape.Component> components = shape.components();
        @Nullable Object[] args = new Object[components.size()];
        for (int i = 0; i < args.length; i++) {
            RecordShape.Component c = components.get(i);
            String cPath = join(path, c.name());
            NodeTuple t = present.get(c.name());
            Object v;
            if (t != null && !isNull(t.getValueNode())) {
                lines.put(cPath, line(t.getKeyNode()));
                int errorsInValue = errors.size();
                v = value(t.getValueNode(), c.genericType(), cPath);
                if (v != null && errors.size() == errorsInValue) {
                    check(c, v, t.getValueNode(), cPath);
                }
            } else {
                v = absent(c, node, cPath);
            }
            if (v == null && c.type().isPrimitive()) {
                if (errors.size() == errorsBefore) {
                    fail(node, cPath, null, "is required");
                }
                v = zero(c.type());
            }
            args[i] = v;
        }
        if (errors.size() > errorsBefore) {
            return null;
        }
        try {
            return shape.constructor().newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                return fail(node, path, null, java.util.Objects.requireNonNullElse(iae.getMessage(), "is not valid here"));
            }
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
        }
    }

    private @Nullable Object absent(RecordShape.Component c, Node parent, String path) {
        Node defaultNode = c.defaultValue();
        if (defaultNode != null) {
            int before = errors.size();
            Object v = value(defaultNode, c.genericType(), path);
            if (errors.size() > before) {
                throw new IllegalStateException("bad @Default on " + path + ": " + errors.get(before));
            }
            lines.put(path, line(parent));
            return v;
        }
        if (c.nullable()) {
            return null;
        }
        if (List.class.isAssignableFrom(c.type())) {
            if (c.notEmpty()) {
                return fail(parent, path, null, "is required and must not be empty");
            }
            return List.of();
        }
        if (Map.class.isAssignableFrom(c.type())) {
            return Map.of();
        }
        return fail(parent, path, null, "is required");
    }

    private void check(RecordShape.Component c, Object v, Node node, String path) {
        Range range = c.range();
        if (range != null && v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || d < range.min() || d > range.max()) {
                Object shown = node instanceof ScalarNode sn ? sn.getValue() : v;
                fail(node, path, shown, "must be " + rangeText(range));
            }
        }
        java.util.regex.Pattern pattern = c.pattern();
        if (pattern != null && v instanceof String s && !pattern.matcher(s).matches()) {
            fail(node, path, quote(s), "must be " + c.patternHint());
        }
        if (c.notEmpty()) {
            boolean empty = (v instanceof String s && s.isBlank()) || (v instanceof List<?> l && l.isEmpty())
                    || (v instanceof Map<?, ?> m && m.isEmpty());
            if (empty) {
                fail(node, path, null, "must not be empty");
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private @Nullable String keyOf(NodeTuple t, String path) {
        if (t.getKeyNode() instanceof ScalarNode k) {
            return k.getValue();
        }
        fail(t.getKeyNode(), path, null, "has a key that is not a plain name");
        return null;
    }

    private @Nullable Object fail(Node node, String path, @Nullable Object rejected, String reason) {
        errors.add(new ConfigError(file, line(node), path, rejected, reason));
        if (errors.size() >= YamlLimits.MAX_ERRORS) {
            throw new Abandoned();
        }
        return null;
    }

    private static int line(Node node) {
        return node.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "value";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("unsupported type " + type);
    }

    private static Type elementType(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return args[Math.min(index, args.length - 1)];
        }
        return Object.class;
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        if (primitive == long.class) {
            return 0L;
        }
        if (primitive == double.class) {
            return 0.0;
        }
        return 0;
    }

    static String rangeText(Range range) {
        if (range.max() == Double.POSITIVE_INFINITY) {
            return ">= " + number(range.min());
        }
        if (range.min() == Double.NEGATIVE_INFINITY) {
            return "<= " + number(range.max());
        }
        return number(range.min()) + ".." + number(range.max());
    }

    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    private static String suggestion(String key, java.util.Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return " (did you mean '" + best + "'?)";
        }
        return " (known keys: " + String.join(", ", known) + ")";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
