/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Pixel arrays for the archive's copies of frames, reused once a part is written (or dropped): in steady state the
 * archive allocates nothing per part that scales with the frame. Holds at most {@code maxBytes} of idle arrays. Any
 * thread.
 */
final class PixelBuffers {
    private final long maxBytes;
    private final Map<Integer, ArrayDeque<byte[]>> idle = new HashMap<>();
    private long idleBytes;

    PixelBuffers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** An array of exactly {@code length} bytes (contents undefined). */
    synchronized byte[] take(int length) {
        ArrayDeque<byte[]> q = idle.get(length);
        byte[] b = q == null ? null : q.pollFirst();
        if (b == null) {
            return new byte[length];
        }
        idleBytes -= length;
        return b;
    }

    /**
     * Gives an array back for reuse; dropped when the pool holds enough already. An array the pool already holds is
     * not held twice (it would go to two parts at once).
     */
    synchronized void give(byte[] b) {
        if (idleBytes + b.length > maxBytes) {
            return;
        }
        ArrayDeque<byte[]> q = idle.computeIfAbsent(b.length, k -> new ArrayDeque<>());
        for (byte[] held : q) {
            if (held == b) {
                // given twice: held twice, two parts would take it and one would be archived with the other's pixels
                return;
            }
        }
        q.addFirst(b);
        idleBytes += b.length;
    }
}
