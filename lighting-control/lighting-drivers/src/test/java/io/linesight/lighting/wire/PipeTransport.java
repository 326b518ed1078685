/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An in-memory stand-in for a serial line: no serial port exists on the build machine, so the command/ack framing of
 * the serial path is exercised through the {@link Transport} interface with a scripted device on the other end. The
 * script sees each CR-terminated command and returns the chunks the device sends back, in as many pieces as it likes.
 */
public final class PipeTransport implements Transport, Connector {
    private static final byte[] EOF = new byte[0];

    private final Function<String, List<String>> device;
    private final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
    private final StringBuilder line = new StringBuilder();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private byte[] partial = new byte[0];
    private int partialAt;
    private volatile boolean closed;

    public PipeTransport(Function<String, List<String>> device) {
        this.device = device;
    }

    /** Puts bytes on the line as if the device had sent them unasked. */
    public void deviceSends(String text) {
        incoming.add(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The device hangs up (the adapter is unplugged). */
    public void hangUp() {
        incoming.add(EOF);
    }

    /** The commands the device received, without CR. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    @Override
    public Transport connect(int timeoutMs) {
        return this;
    }

    @Override
    public void write(byte[] data) throws IOException {
        if (closed) {
            throw new IOException("pipe closed");
        }
        for (byte b : data) {
            if (b == '\r') {
                String command = line.toString();
                line.setLength(0);
                commands.add(command);
                for (String chunk : device.apply(command)) {
                    deviceSends(chunk);
                }
            } else if (b != '\n') {
                line.append((char) b);
            }
        }
    }

    @Override
    public int read(byte[] into, int timeoutMs) throws IOException {
        if (partialAt >= partial.length) {
            byte[] next;
            try {
                next = incoming.poll(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (next == null) {
                return 0;
            }
            if (next == EOF || closed) {
                return -1;
            }
            partial = next;
            partialAt = 0;
        }
        int n = Math.min(into.length, partial.length - partialAt);
        System.arraycopy(partial, partialAt, into, 0, n);
        partialAt += n;
        return n;
    }

    @Override
    public int available() {
        int n = partial.length - partialAt;
        for (byte[] chunk : incoming) {
            n += chunk.length;
        }
        return n;
    }

    @Override
    public String describe() {
        return "pipe";
    }

    @Override
    public void close() {
        closed = true;
        incoming.add(EOF);
    }
}
