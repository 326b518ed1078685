/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Frames one reply out of the bytes a {@link Transport} delivers in whatever pieces, and never waits past the
 * exchange's deadline. One instance per exchange, used by the apply thread only.
 */
public final class ReplyReader {
    private final Transport transport;
    private final long deadlineNanos;
    private final byte[] chunk = new byte[512];
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder received = new StringBuilder();

    /** @param deadlineNanos a {@link System#nanoTime()} instant after which reads throw {@link ReplyTimeoutException} */
    public ReplyReader(Transport transport, long deadlineNanos) {
        this.transport = transport;
        this.deadlineNanos = deadlineNanos;
    }

    /** The text before the next {@code terminator}; the terminator is consumed. */
    public String readUntil(char terminator) throws IOException {
        int at;
        while ((at = pending.indexOf(String.valueOf(terminator))) < 0) {
            fill();
        }
        String text = pending.substring(0, at);
        pending.delete(0, at + 1);
        return text;
    }

    /** The text up to and including the next character that is one of {@code terminators}. */
    public String readThroughAny(String terminators) throws IOException {
        while (true) {
            for (int i = 0; i < pending.length(); i++) {
                if (terminators.indexOf(pending.charAt(i)) >= 0) {
                    String text = pending.substring(0, i + 1);
                    pending.delete(0, i + 1);
                    return text;
                }
            }
            fill();
        }
    }

    /** The next non-empty line; CR, LF and CR LF all end a line. */
    public String readLine() throws IOException {
        while (true) {
            int start = 0;
            while (start < pending.length() && isEol(pending.charAt(start))) {
                start++;
            }
            pending.delete(0, start);
            for (int i = 0; i < pending.length(); i++) {
                if (isEol(pending.charAt(i))) {
                    String line = pending.substring(0, i);
                    pending.delete(0, i + 1);
                    return line;
                }
            }
            fill();
        }
    }

    /** Everything received in this exchange so far. */
    public String received() {
        return received.toString();
    }

    private void fill() throws IOException {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new ReplyTimeoutException(received.toString());
        }
        int waitMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos + 999_999));
        int n = transport.read(chunk, waitMs);
        if (n < 0) {
            throw new EOFException("the controller closed the connection"
                    + (received.isEmpty() ? "" : " after '" + WireText.printable(received.toString()) + "'"));
        }
        String text = new String(chunk, 0, n, StandardCharsets.ISO_8859_1);
        pending.append(text);
        received.append(text);
    }

    private static boolean isEol(char c) {
        return c == '\r' || c == '\n';
    }
}
