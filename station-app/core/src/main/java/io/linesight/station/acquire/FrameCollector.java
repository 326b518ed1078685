/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The sink of one camera: hands each frame to the part waiting for it. Software-triggered frames are matched by
 * their {@link TriggerTag}; untagged frames (hardware trigger) go to the oldest armed waiter. A frame nobody waits for
 * (it came after its part gave up) is closed at once and counted.
 *
 * <p>{@link #onFrame} runs on the camera's acquisition thread and never blocks.
 */
final class FrameCollector implements FrameSink {
    private final String cameraId;
    private final Map<TriggerTag, CompletableFuture<Frame>> tagged = new ConcurrentHashMap<>();
    private final Queue<CompletableFuture<Frame>> armed = new ConcurrentLinkedQueue<>();
    private final AtomicLong orphans = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();
    private volatile @Nullable CameraException fault;
    private volatile long lastFrameNanos;
    /** Whether any frame came at all: {@code lastFrameNanos} means nothing before (nanoTime has no "never"). */
    private volatile boolean anyFrame;
    private volatile @Nullable BlockingQueue<Frame> untaggedTo;

    FrameCollector(String cameraId) {
        this.cameraId = cameraId;
    }

    /** Registers interest in the frame of a software trigger; call before sending the trigger. */
    CompletableFuture<Frame> expect(TriggerTag tag) {
        CompletableFuture<Frame> f = new CompletableFuture<>();
        tagged.put(tag, f);
        return f;
    }

    /** Arms for the next untagged frame (hardware trigger). */
    CompletableFuture<Frame> expectNext() {
        CompletableFuture<Frame> f = new CompletableFuture<>();
        armed.add(f);
        return f;
    }

    /**
     * Sends every untagged frame (hardware trigger) to {@code queue} instead of the armed waiters; null to stop. A
     * full queue drops the frame (counted as an orphan).
     */
    void routeUntagged(@Nullable BlockingQueue<Frame> queue) {
        untaggedTo = queue;
    }

    /** Gives up waiting; a frame that arrived in the meantime is closed. */
    void abandon(@Nullable TriggerTag tag, CompletableFuture<Frame> f) {
        if (tag != null) {
            tagged.remove(tag, f);
        }
        armed.remove(f);
        if (!f.cancel(false) && !f.isCompletedExceptionally()) {
            f.join().close();
        }
    }

    @Override
    public void onFrame(Frame frame) {
        lastFrameNanos = System.nanoTime();
        anyFrame = true;
        if (!frame.complete()) {
            incomplete.incrementAndGet();
        }
        TriggerTag tag = frame.tag();
        BlockingQueue<Frame> route = untaggedTo;
        if (tag == null && route != null) {
            if (!route.offer(frame)) {
                orphans.incrementAndGet();
                frame.close();
            }
            return;
        }
        CompletableFuture<Frame> f = tag != null ? tagged.remove(tag) : armed.poll();
        if (f == null || !f.complete(frame)) {
            orphans.incrementAndGet();
            frame.close();
        }
    }

    @Override
    public void onFault(CameraException e) {
        fault = e;
        CameraException failure = new CameraException(e.code(), "camera " + cameraId + ": " + e.getMessage(), e);
        tagged.values().forEach(f -> f.completeExceptionally(failure));
        tagged.clear();
        CompletableFuture<Frame> f;
        while ((f = armed.poll()) != null) {
            f.completeExceptionally(failure);
        }
    }

    @Override
    public void onRecovered() {
        fault = null;
    }

    /** The camera's current fault, or null while it works. */
    @Nullable CameraException fault() {
        return fault;
    }

    /**
     * Whether the camera delivered any frame (awaited, late or stray) after {@code nanos} ({@link System#nanoTime}).
     * A camera that never delivered one has not (a "last frame" of {@code Long.MIN_VALUE} compared by difference
     * overflowed and read as just now, so a camera whose stream never worked was never taken for a faulty one).
     */
    boolean deliveredSince(long nanos) {
        return anyFrame && lastFrameNanos - nanos > 0;
    }

    long orphans() {
        return orphans.get();
    }

    long incompleteFrames() {
        return incomplete.get();
    }
}
