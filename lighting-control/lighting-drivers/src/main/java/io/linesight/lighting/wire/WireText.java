/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Text helpers shared by the protocols: control characters made visible, numbers without needless digits. */
public final class WireText {
    private WireText() {
    }

    /** {@code RT1,0.1,0,50\r} becomes {@code RT1,0.1,0,50\r} with the CR written as the two characters {@code \r}. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The command without its trailing line ending, as an echo or a log line shows it. */
    public static String stripEol(String command) {
        int end = command.length();
        while (end > 0 && (command.charAt(end - 1) == '\r' || command.charAt(end - 1) == '\n')) {
            end--;
        }
        return command.substring(0, end);
    }

    /** {@code value} rounded to {@code maxDecimals}, in plain notation without trailing zeros: 50.0 → "50", 0.125 → "0.125". */
    public static String plain(double value, int maxDecimals) {
        BigDecimal d = BigDecimal.valueOf(value).setScale(maxDecimals, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
