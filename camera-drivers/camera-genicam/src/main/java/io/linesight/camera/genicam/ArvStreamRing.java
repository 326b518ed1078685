/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.linesight.camera.api.CameraException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One {@code ArvStream*} with a ring of buffers we allocate once, sized for the camera's payload, and hand to
 * Aravis with {@code arv_stream_push_buffer}. The acquisition thread pops a filled buffer, reads it, and pushes it
 * back; nothing is allocated per frame.
 *
 * <p>Threads: {@link #pop}, {@link #push} and the buffer accessors are used by the acquisition thread only;
 * {@link #drain()} by the control thread while the acquisition thread is parked; {@link #close()} only after the
 * acquisition thread has ended.
 */
// binding C is what this class is for: the restricted FFM calls are intended (run with --enable-native-access)
@SuppressWarnings("restricted")
final class ArvStreamRing implements AutoCloseable {
    private final ArvLib lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stream;
    private final MemorySegment[] data;
    private final int payloadBytes;
    private final MemorySegment stats;
    private boolean closed;

    private ArvStreamRing(ArvLib lib, MemorySegment stream, int buffers, int payloadBytes) throws Throwable {
        this.lib = lib;
        this.stream = stream;
        this.payloadBytes = payloadBytes;
        this.data = new MemorySegment[buffers];
        this.stats = arena.allocate(JAVA_LONG, 3);
        for (int i = 0; i < buffers; i++) {
            data[i] = arena.allocate(payloadBytes, 64);
            // user_data carries index + 1, so a popped buffer leads straight back to its memory
            MemorySegment buf = (MemorySegment) lib.bufferNewFull.invokeExact((long) payloadBytes, data[i],
                    MemorySegment.ofAddress(i + 1L), MemorySegment.NULL);
            // the stream takes this reference; it unrefs queued buffers when it is destroyed
            lib.streamPushBuffer.invokeExact(stream, buf);
        }
    }

    /**
     * Creates the camera's stream and fills it with {@code buffers} buffers of {@code payloadBytes}. On GigE, a
     * positive socket buffer size fixes the receive buffer (the kernel caps it at net.core.rmem_max); zero values
     * keep Aravis' defaults.
     */
    static ArvStreamRing create(ArvLib lib, ArvCamera camera, int buffers, int payloadBytes, GigeTuning gige)
            throws CameraException {
        MemorySegment stream = camera.createStream();
        try {
            if (gige.socketBufferBytes() > 0) {
                setIntPropertyIfPresent(lib, stream, "socket-buffer", ArvLib.GV_STREAM_SOCKET_BUFFER_FIXED);
                setIntPropertyIfPresent(lib, stream, "socket-buffer-size", gige.socketBufferBytes());
            }
            if (gige.packetTimeoutUs() > 0) {
                setIntPropertyIfPresent(lib, stream, "packet-timeout", gige.packetTimeoutUs());
            }
            if (gige.frameRetentionUs() > 0) {
                setIntPropertyIfPresent(lib, stream, "frame-retention", gige.frameRetentionUs());
            }
            return new ArvStreamRing(lib, stream, buffers, payloadBytes);
        } catch (Throwable t) {
            try {
                lib.gObjectUnref.invokeExact(stream);
            } catch (Throwable ignored) {
                // already failing; the first error is the one to report
            }
            throw ArvCamera.unexpected(t);
        }
    }

    /** Sets a GObject int/enum property only where the stream class has it (the in-process fake stream has not). */
    private static void setIntPropertyIfPresent(ArvLib lib, MemorySegment object, String name, int value)
            throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocateFrom(name);
            MemorySegment klass = object.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
            MemorySegment spec = (MemorySegment) lib.gObjectClassFindProperty.invokeExact(klass, n);
            if (!spec.equals(MemorySegment.NULL)) {
                lib.gObjectSetInt.invokeExact(object, n, value, MemorySegment.NULL);
            }
        }
    }

    /** GigE stream receive settings; all zero for other transports. */
    record GigeTuning(int socketBufferBytes, int packetTimeoutUs, int frameRetentionUs) {
        static final GigeTuning NONE = new GigeTuning(0, 0, 0);
    }

    int payloadBytes() {
        return payloadBytes;
    }

    /** The next filled buffer, or NULL after {@code timeoutUs}. */
    MemorySegment pop(long timeoutUs) {
        try {
            return (MemorySegment) lib.streamTimeoutPopBuffer.invokeExact(stream, timeoutUs);
        } catch (Throwable t) {
            throw new IllegalStateException("arv_stream_timeout_pop_buffer failed", t);
        }
    }

    void push(MemorySegment buffer) {
        try {
            lib.streamPushBuffer.invokeExact(stream, buffer);
        } catch (Throwable t) {
            throw new IllegalStateException("arv_stream_push_buffer failed", t);
        }
    }

    /** Gives every filled buffer still waiting back to the stream (stale images after a stop). Returns how many. */
    int drain() {
        int n = 0;
        try {
            while (true) {
                MemorySegment b = (MemorySegment) lib.streamTryPopBuffer.invokeExact(stream);
                if (b.equals(MemorySegment.NULL)) {
                    return n;
                }
                lib.streamPushBuffer.invokeExact(stream, b);
                n++;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("draining the stream failed", t);
        }
    }

    int status(MemorySegment buffer) {
        try {
            return (int) lib.bufferGetStatus.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The memory of this buffer (payload bytes), ours since we allocated it. */
    MemorySegment data(MemorySegment buffer) {
        try {
            long index = ((MemorySegment) lib.bufferGetUserData.invokeExact(buffer)).address() - 1;
            return data[(int) index];
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int width(MemorySegment buffer) {
        try {
            return (int) lib.bufferGetImageWidth.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int height(MemorySegment buffer) {
        try {
            return (int) lib.bufferGetImageHeight.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    int pixelFormat(MemorySegment buffer) {
        try {
            return (int) lib.bufferGetImagePixelFormat.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    long frameId(MemorySegment buffer) {
        try {
            return (long) lib.bufferGetFrameId.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    long timestampNs(MemorySegment buffer) {
        try {
            return (long) lib.bufferGetTimestamp.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Aravis' own counters: {completed buffers, failures, underruns (no free buffer when a frame came)}. */
    long[] statistics() {
        try {
            lib.streamGetStatistics.invokeExact(stream, stats, stats.asSlice(8), stats.asSlice(16));
            return stats.toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Destroys the stream (its receive thread and the buffers queued in it), then frees our memory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lib.gObjectUnref.invokeExact(stream);
        } catch (Throwable t) {
            throw new IllegalStateException("g_object_unref(stream) failed", t);
        } finally {
            arena.close();
        }
    }
}
