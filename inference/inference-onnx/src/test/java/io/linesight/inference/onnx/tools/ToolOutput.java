/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captured out and err of one tool run. */
final class ToolOutput {
    private final ByteArrayOutputStream o = new ByteArrayOutputStream();
    private final ByteArrayOutputStream e = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);

    String out() {
        return o.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return e.toString(StandardCharsets.UTF_8);
    }

    String text() {
        return out() + err();
    }
}
