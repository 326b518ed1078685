/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.IOException;

/**
 * A byte pipe to one controller: a TCP socket, a serial port, or an in-memory pipe in tests.
 *
 * <p><b>Threads.</b> {@link #write} and {@link #read} are called by one thread at a time (the controller's apply
 * thread); {@link #close()} may come from any other thread and makes a blocked {@code read} return or throw promptly.
 */
public interface Transport extends AutoCloseable {

    /** Writes all of {@code data}; throws if the link is gone. */
    void write(byte[] data) throws IOException;

    /**
     * Waits up to {@code timeoutMs} for input and reads what has arrived.
     *
     * @return the number of bytes read into {@code into}, 0 if nothing arrived in time, -1 if the peer closed the link
     */
    int read(byte[] into, int timeoutMs) throws IOException;

    /** Bytes that can be read now without waiting (stale input to discard before a command). */
    int available() throws IOException;

    /** For messages: {@code tcp 10.0.0.5:30313}, {@code serial /dev/ttyUSB0}. */
    String describe();

    /** Idempotent; never throws. */
    @Override
    void close();
}
