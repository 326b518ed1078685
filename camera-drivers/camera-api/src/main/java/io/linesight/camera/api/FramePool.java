/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A fixed ring of direct buffers, allocated once when a camera opens, so that steady state allocates no pixel
 * memory. A driver {@link #acquire acquires} a slot, fills its buffer, and {@link #publish publishes} it as a
 * {@link Frame}; the frame's last {@link Frame#close()} returns the slot. When every slot is still held downstream
 * the driver gets null and must drop the image and count it ({@link #exhausted()}): a slow consumer never makes the
 * pool grow.
 *
 * <p>Thread-safe: any thread may release; usually one driver thread acquires.
 */
public final class FramePool {
    private final BlockingQueue<Slot> free;
    private final int bufferBytes;
    private final int capacity;
    private final AtomicLong exhausted = new AtomicLong();

    public FramePool(int capacity, int bufferBytes) {
        if (capacity < 1 || bufferBytes < 1) {
            throw new IllegalArgumentException("capacity and bufferBytes must be positive");
        }
        this.capacity = capacity;
        this.bufferBytes = bufferBytes;
        this.free = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            free.add(new Slot(ByteBuffer.allocateDirect(bufferBytes)));
        }
    }

    /** A free slot, waiting up to {@code timeoutMs}; null when none came free (the miss is counted). */
    public @Nullable Slot acquire(long timeoutMs) {
        try {
            Slot s = timeoutMs <= 0 ? free.poll() : free.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (s == null) {
                exhausted.incrementAndGet();
                return null;
            }
            s.buffer.clear();
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Wraps a filled slot as a frame holding one reference. */
    public Frame publish(Slot slot, Frame.Builder meta) {
        int needed = meta.stride > 0 ? meta.stride * meta.height : meta.width * meta.height * meta.pixelFormat.bytesPerPixel();
        if (needed > bufferBytes) {
            slot.release();
            throw new IllegalArgumentException("frame of " + needed + " bytes does not fit a " + bufferBytes + "-byte buffer");
        }
        return new Frame(slot, meta);
    }

    public int capacity() {
        return capacity;
    }

    public int available() {
        return free.size();
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** How often a driver found no free buffer (frames it had to drop). */
    public long exhausted() {
        return exhausted.get();
    }

    /** One pooled buffer. Its contents belong to whoever holds the slot until it is published or released. */
    public final class Slot {
        private final ByteBuffer buffer;

        private Slot(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        /** The writable buffer; the driver writes pixels from position 0. */
        public ByteBuffer buffer() {
            return buffer;
        }

        /** Gives an unpublished slot back (e.g. when the driver discards a capture). */
        public void release() {
            free.offer(this);
        }
    }
}
