/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import io.linesight.config.ConfigError;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A value bound from a YAML file, with the line of every field path, so that checks made after binding
 * (cross references, files on disk) can still name file, line and path.
 */
public record Bound<T>(T value, String file, Map<String, Integer> lines) {

    public Bound {
        lines = Map.copyOf(lines);
    }

    /** The 1-based line of {@code path}, or of its closest parent that has one; 0 when none does. */
    public int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault("", 0);
            }
            p = p.substring(0, cut);
        }
    }

    public ConfigError error(String path, @Nullable Object rejected, String reason) {
        return new ConfigError(file, lineOf(path), path, rejected, reason);
    }
}
