/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.installer.service;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Passes every byte through to the wrapped stream and hands each completed line to a listener, on the writing
 * thread. The station's command line reports its state as lines on stdout; this is how the service wrapper reads
 * them without changing the station. Lines longer than 4 KiB are cut (the listener sees the start).
 */
final class LineTap extends FilterOutputStream {
    private static final int MAX_LINE = 4096;
    private final Consumer<String> listener;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    LineTap(OutputStream out, Consumer<String> listener) {
        super(out);
        this.listener = listener;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
        take(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            take(b[i]);
        }
    }

    private void take(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            listener.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }
}
