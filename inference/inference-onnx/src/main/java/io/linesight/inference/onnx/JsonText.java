/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.util.Locale;

/** JSON string literals for the reports and model metadata this module writes by hand (no JSON library needed). */
public final class JsonText {
    private JsonText() {
    }

    /** {@code s} as a quoted JSON string, control characters escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
