/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares two recipes' YAML line by line, with the path of keys leading to each line, so a change reads as
 * {@code rules[1].maxCount: 3 → 1}. Recipes are saved by one writer, so equal settings give equal lines.
 */
public final class RecipeDiff {
    private RecipeDiff() {
    }

    /** The changed leaves, as {@code path: before → after}; an added or removed leaf has ∅ on the other side. */
    public static List<String> changes(String beforeYaml, String afterYaml) {
        List<String[]> a = leaves(beforeYaml);
        List<String[]> b = leaves(afterYaml);
        List<String> out = new ArrayList<>();
        for (String[] la : a) {
            String after = find(b, la[0]);
            if (after == null) {
                out.add(la[0] + ": " + la[1] + " → ∅");
            } else if (!after.equals(la[1])) {
                out.add(la[0] + ": " + la[1] + " → " + after);
            }
        }
        for (String[] lb : b) {
            if (find(a, lb[0]) == null) {
                out.add(lb[0] + ": ∅ → " + lb[1]);
            }
        }
        return out;
    }

    private static @org.jspecify.annotations.Nullable String find(List<String[]> leaves, String path) {
        for (String[] l : leaves) {
            if (l[0].equals(path)) {
                return l[1];
            }
        }
        return null;
    }

    /** (path, value) of every "key: value" line; list items are numbered per parent path. */
    static List<String[]> leaves(String yaml) {
        List<String[]> out = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        java.util.Map<String, Integer> itemCounts = new java.util.HashMap<>();
        for (String raw : yaml.split("\n")) {
            if (raw.isBlank() || raw.trim().startsWith("#")) {
                continue;
            }
            int indent = raw.length() - raw.stripLeading().length();
            String line = raw.strip();
            while (!indents.isEmpty() && indents.getLast() >= indent) {
                indents.removeLast();
                stack.removeLast();
            }
            if (line.startsWith("- ")) {
                String parent = String.join(".", stack);
                int n = itemCounts.merge(parent, 1, Integer::sum) - 1;
                stack.add("[" + n + "]");
                indents.add(indent);
                line = line.substring(2).strip();
                indent += 2;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                out.add(new String[] {path(stack), line});
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (value.isEmpty()) {
                stack.add(key);
                indents.add(indent);
            } else {
                stack.add(key);
                out.add(new String[] {path(stack), value});
                stack.removeLast();
            }
        }
        return out;
    }

    private static String path(List<String> stack) {
        return String.join(".", stack).replace(".[", "[");
    }
}
