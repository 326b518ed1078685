/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code --name value} and {@code --flag} arguments; anything else is a usage error naming it. */
final class ToolArgs {
    /** A usage error; the message says what is wrong. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    ToolArgs(List<String> args, Set<String> valued, Set<String> flagNames) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.startsWith("--") ? a.substring(2) : null;
            String inline = null;
            if (name != null && name.contains("=")) {
                inline = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            }
            if (name != null && flagNames.contains(name) && inline == null) {
                flags.add(name);
            } else if (name != null && valued.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    v = args.get(++i);
                }
                values.put(name, v);
            } else {
                throw new UsageException("unknown argument '" + a + "'");
            }
        }
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    /** A whole-number option: a fraction ("2.5") is refused, not cut to 2. */
    long whole(String name, long dflt, long min, long max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " " + v + " must be " + min + ".." + max);
        }
        return n;
    }

    @Nullable String optional(String name) {
        return values.get(name);
    }

    double number(String name, double dflt, double min, double max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v);
            if (d < min || d > max) {
                throw new UsageException("--" + name + " " + v + " must be " + min + ".." + max);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + v + "' is not a number");
        }
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    static String json(String s) {
        return io.linesight.inference.onnx.JsonText.quote(s);
    }

    static String num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(java.util.Locale.ROOT, "%.6g", d);
    }
}
