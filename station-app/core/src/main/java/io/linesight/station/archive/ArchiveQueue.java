/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The archive's waiting room, bounded in bytes (of copied pixels) rather than in entries: a part of two 5 MP shots
 * weighs what it weighs. Past the bound the oldest waiting entries make room, and {@link #offer} hands them back so
 * their fate can be recorded; an entry larger than the whole bound is handed back itself. Any thread.
 */
final class ArchiveQueue<E> {
    private final long maxBytes;
    private final ToLongFunction<E> weight;
    private final ArrayDeque<E> entries = new ArrayDeque<>();
    private long bytes;

    ArchiveQueue(long maxBytes, ToLongFunction<E> weight) {
        this.maxBytes = maxBytes;
        this.weight = weight;
    }

    /** Queues {@code e}; returns what was dropped to make room (oldest first), empty when nothing was. */
    synchronized List<E> offer(E e) {
        long w = weight.applyAsLong(e);
        if (w > maxBytes) {
            return List.of(e);
        }
        List<E> dropped = new ArrayList<>(0);
        while (bytes + w > maxBytes && !entries.isEmpty()) {
            E old = entries.pollFirst();
            bytes -= weight.applyAsLong(old);
            dropped.add(old);
        }
        entries.addLast(e);
        bytes += w;
        notifyAll();
        return dropped;
    }

    /** The oldest entry, waiting up to {@code timeout} for one; null when none came. */
    synchronized @Nullable E poll(long timeout, TimeUnit unit) throws InterruptedException {
        long until = System.nanoTime() + unit.toNanos(timeout);
        while (entries.isEmpty()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        E e = entries.pollFirst();
        bytes -= weight.applyAsLong(e);
        return e;
    }

    /** Takes everything still waiting, oldest first. */
    synchronized List<E> drain() {
        List<E> all = new ArrayList<>(entries);
        entries.clear();
        bytes = 0;
        return all;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    long maxBytes() {
        return maxBytes;
    }
}
