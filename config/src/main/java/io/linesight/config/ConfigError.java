/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a config or recipe file: where (file, 1-based line, field path), what was rejected, and why.
 * Printed as {@code recipes/bracket.yaml:14 shots[1].exposureUs: 0 must be 10..1000000}.
 *
 * @param file     the file as the user named it (or a label such as {@code <cmd/recipe>})
 * @param line     1-based line in that file, 0 when no line applies
 * @param path     field path from the document root, e.g. {@code shots[1].exposureUs}; empty for the whole document
 * @param rejected the rejected value, null when the value is missing
 * @param reason   why, phrased to follow the value ("must be 10..1000000", "is not a known key")
 */
public record ConfigError(String file, int line, String path, @Nullable Object rejected, String reason) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(' ');
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        if (rejected != null) {
            sb.append(rejected).append(' ');
        }
        return sb.append(reason).toString();
    }
}
