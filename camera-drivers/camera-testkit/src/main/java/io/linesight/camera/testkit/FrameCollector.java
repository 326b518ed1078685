/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.testkit;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FrameSink} for tests: queues what the camera delivers and remembers on which thread it came.
 *
 * <p>With {@code closeOnArrival} it copies the metadata it needs and closes each frame at once (the prompt
 * consumer a pool must survive); otherwise frames are queued holding their reference and the test closes them.
 */
public final class FrameCollector implements FrameSink {
    private final boolean closeOnArrival;
    private final long busyMs;
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<CameraException> faults = new LinkedBlockingQueue<>();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicReference<@Nullable String> threadName = new AtomicReference<>();

    public FrameCollector(boolean closeOnArrival) {
        this(closeOnArrival, 0);
    }

    /**
     * @param busyMs how long each {@link #onFrame} call takes; a slow consumer keeps acquisition busy so that a test
     *               can act while frames are still in flight (a real sink must not block)
     */
    public FrameCollector(boolean closeOnArrival, long busyMs) {
        this.closeOnArrival = closeOnArrival;
        this.busyMs = busyMs;
    }

    @Override
    public void onFrame(Frame frame) {
        threadName.compareAndSet(null, Thread.currentThread().getName());
        delivered.incrementAndGet();
        if (closeOnArrival) {
            frame.close();
        }
        frames.add(frame);
        if (busyMs > 0) {
            try {
                Thread.sleep(busyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void onFault(CameraException fault) {
        faults.add(fault);
    }

    /** The next frame, or null when none came within {@code timeoutMs}. */
    public @Nullable Frame poll(long timeoutMs) throws InterruptedException {
        return frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Waits for {@code n} frames, each within {@code timeoutMs} of the previous; returns those that came. */
    public List<Frame> take(int n, long timeoutMs) throws InterruptedException {
        List<Frame> out = new ArrayList<>(n);
        while (out.size() < n) {
            Frame f = poll(timeoutMs);
            if (f == null) {
                break;
            }
            out.add(f);
        }
        return out;
    }

    /** How many frames the camera delivered so far. */
    public int delivered() {
        return delivered.get();
    }

    /** The name of the thread that delivered the first frame, or null before one came. */
    public @Nullable String deliveryThread() {
        return threadName.get();
    }

    /** The next fault reported, or null when none came within {@code timeoutMs}. */
    public @Nullable CameraException pollFault(long timeoutMs) throws InterruptedException {
        return faults.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Closes every frame still queued (when not closed on arrival). */
    public void closeAll() {
        Frame f;
        while ((f = frames.poll()) != null) {
            if (!closeOnArrival && !f.isReleased()) {
                f.close();
            }
        }
    }
}
