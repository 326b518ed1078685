/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a config or recipe file: where (file, 1-based line, field path), what was rejected, and why.
 * Printed as {@code recipes/bracket.yaml:14 shots[1].exposureUs: 0 must be 10..1000000}, always on one line: control
 * characters in the path and the rejected value are shown escaped, and a long rejected value is shortened.
 *
 * @param file     the file as the user named it (or a label such as {@code <cmd/recipe>})
 * @param line     1-based line in that file, 0 when no line applies
 * @param path     field path from the document root, e.g. {@code shots[1].exposureUs}; empty for the whole document
 * @param rejected the rejected value, null when the value is missing
 * @param reason   why, phrased to follow the value ("must be 10..1000000", "is not a known key")
 */
public record ConfigError(String file, int line, String path, @Nullable Object rejected, String reason) {
    /** Characters of a rejected value shown before it is cut (the error names the line; the file has the rest). */
    static final int SHOWN_CHARS = 80;

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        shown(sb, file, Integer.MAX_VALUE);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(' ');
        if (!path.isEmpty()) {
            shown(sb, path, SHOWN_CHARS).append(": ");
        }
        if (rejected != null) {
            shown(sb, String.valueOf(rejected), SHOWN_CHARS).append(' ');
        }
        return shown(sb, reason, Integer.MAX_VALUE).toString();
    }

    /** Appends {@code s} with control characters and unpaired surrogates escaped, cut after {@code max} chars. */
    private static StringBuilder shown(StringBuilder sb, String s, int max) {
        int end = Math.min(s.length(), max);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || unpaired(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (s.length() > max) {
            sb.append("… (").append(s.length()).append(" characters)");
        }
        return sb;
    }

    private static boolean unpaired(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
