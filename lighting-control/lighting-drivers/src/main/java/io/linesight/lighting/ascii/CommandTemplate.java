/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.DriverOptions;
import io.linesight.lighting.wire.WireText;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One command template from the station config, e.g. {@code "SET {channel} {intensity:%.0f} {pulse} {delay}\r"}.
 *
 * <p>Placeholders: {@code {channel}} (1-based), {@code {intensity}} (percent), {@code {pulse}} and {@code {delay}}
 * (microseconds), {@code {pulseMs}} and {@code {delayMs}} (milliseconds); a driver may allow fewer. An optional
 * {@link java.util.Formatter} spec follows a colon ({@code {intensity:%05.1f}}, {@code {channel:%02d}}); integer
 * conversions ({@code d x X o}) get the value rounded. Without a spec, numbers are written plainly ({@code 50},
 * {@code 12.5}). {@code {{} and {@code }}} are literal braces. Escapes {@code \r \n \t \\ \xHH} are understood for
 * YAML strings that are not double-quoted. A template that does not end with CR or LF gets the driver's line ending.
 *
 * <p>Every placeholder and spec is checked when the controller opens, so a typo fails at startup, naming the option.
 */
public final class CommandTemplate {
    public static final Set<String> ALL_FIELDS = Set.of("channel", "intensity", "pulse", "delay", "pulseMs", "delayMs");

    /** The values one command is made of. */
    public record Values(int channel, double intensityPct, double pulseUs, double delayUs) {
        double get(String field) {
            return switch (field) {
                case "channel" -> channel;
                case "intensity" -> intensityPct;
                case "pulse" -> pulseUs;
                case "delay" -> delayUs;
                case "pulseMs" -> pulseUs / 1000.0;
                case "delayMs" -> delayUs / 1000.0;
                default -> throw new IllegalArgumentException("unknown field " + field);
            };
        }
    }

    private sealed interface Part permits Literal, Field {
    }

    private record Literal(String text) implements Part {
    }

    private record Field(String name, @Nullable String spec) implements Part {
        String render(double value) {
            if (spec == null) {
                return name.equals("channel") ? Long.toString(Math.round(value)) : WireText.plain(value, 4);
            }
            return String.format(Locale.ROOT, spec, integral(spec) ? (Object) Math.round(value) : (Object) value);
        }

        private static boolean integral(String spec) {
            char conversion = spec.charAt(spec.length() - 1);
            return "dxXo".indexOf(conversion) >= 0;
        }
    }

    private final String optionKey;
    private final List<Part> parts;
    private final Set<String> fields;

    private CommandTemplate(String optionKey, List<Part> parts, Set<String> fields) {
        this.optionKey = optionKey;
        this.parts = parts;
        this.fields = fields;
    }

    /**
     * Parses {@code options.<key>}.
     *
     * @param allowed the placeholders this driver fills in
     * @param eol     appended when the template does not end with CR or LF
     */
    public static CommandTemplate parse(DriverOptions options, String key, String raw, Set<String> allowed, String eol) throws LightException {
        String text = unescape(options, key, raw);
        if (text.isEmpty()) {
            throw options.bad(key, "the template is empty");
        }
        if (!text.endsWith("\r") && !text.endsWith("\n")) {
            text = text + eol;
        }
        List<Part> parts = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '}') {
                throw options.bad(key, "'}' at column " + (i + 1) + " closes no placeholder (write '}}' for a literal brace) in '" + WireText.printable(raw) + "'");
            } else if (c == '{') {
                int close = text.indexOf('}', i);
                if (close < 0) {
                    throw options.bad(key, "'{' at column " + (i + 1) + " is never closed in '" + WireText.printable(raw) + "'");
                }
                Field field = field(options, key, text.substring(i + 1, close), allowed, i + 1);
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(field);
                used.add(field.name());
                i = close + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new CommandTemplate(key, List.copyOf(parts), Set.copyOf(used));
    }

    private static Field field(DriverOptions options, String key, String body, Set<String> allowed, int column) throws LightException {
        int colon = body.indexOf(':');
        String name = (colon < 0 ? body : body.substring(0, colon)).strip();
        String spec = colon < 0 ? null : body.substring(colon + 1).strip();
        if (!allowed.contains(name)) {
            String hint = ALL_FIELDS.contains(name) ? " (driver '" + options.driver() + "' does not use it)" : "";
            throw options.bad(key, "unknown placeholder {" + name + "} at column " + column + hint + "; known: "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
        if (spec != null) {
            if (!spec.startsWith("%") || spec.length() < 2) {
                throw options.bad(key, "format '" + spec + "' of {" + name + "} must be a java.util.Formatter spec such as %.0f or %03d");
            }
            Field field = new Field(name, spec);
            try {
                field.render(12.5); // a bad spec fails here, at startup, not on the first part
            } catch (IllegalFormatException e) {
                throw options.bad(key, "format '" + spec + "' of {" + name + "} is not valid: " + e.getMessage());
            }
            return field;
        }
        return new Field(name, null);
    }

    private static String unescape(DriverOptions options, String key, String raw) throws LightException {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= raw.length()) {
                throw options.bad(key, "a lone '\\' ends the template (write '\\\\' for a backslash)");
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    String hex = raw.substring(i + 1, Math.min(raw.length(), i + 3));
                    if (!hex.matches("[0-9A-Fa-f]{2}")) {
                        throw options.bad(key, "'\\x" + hex + "' at column " + i + " needs two hex digits");
                    }
                    out.append((char) Integer.parseInt(hex, 16));
                    i += 2;
                }
                default -> throw options.bad(key, "unknown escape '\\" + e + "' at column " + i + " (known: \\r \\n \\t \\\\ \\xHH)");
            }
        }
        return out.toString();
    }

    /** The command text for these values. */
    public String render(Values values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal literal -> out.append(literal.text());
                case Field field -> out.append(field.render(values.get(field.name())));
            }
        }
        return out.toString();
    }

    /** The placeholders this template uses. */
    public Set<String> fields() {
        return fields;
    }

    public String optionKey() {
        return optionKey;
    }
}
