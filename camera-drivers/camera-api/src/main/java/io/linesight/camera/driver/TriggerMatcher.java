/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.TriggerTag;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs software triggers with the frames they caused, in order: the control thread records each trigger as it sends
 * it ({@link #sent}); the acquisition thread asks for the tag of each arriving frame ({@link #match}). A trigger that
 * waited longer than the frame timeout had no frame (the camera missed it): it is given up, counted and logged, so a
 * later frame never carries the wrong part's tag.
 *
 * <p><b>Threads.</b> {@link #sent}, {@link #withdraw} and {@link #clear} on the control thread; {@link #match} and
 * {@link #waiting} on the acquisition thread. Nothing blocks. The counter may be read from any thread.
 */
public final class TriggerMatcher {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerMatcher.class);

    private final String cameraId;
    private final long frameTimeoutNs;
    private final int capacity;
    private final ArrayBlockingQueue<Pending> pending;
    private final AtomicLong lost = new AtomicLong();

    /** A trigger sent and not yet paired with a frame. */
    public record Pending(TriggerTag tag, long sentNs) {
    }

    /**
     * @param cameraId       the camera's config id, for errors and the log
     * @param frameTimeoutNs how long a trigger waits for its frame before it counts as lost
     * @param capacity       how many triggers may wait at once
     */
    public TriggerMatcher(String cameraId, long frameTimeoutNs, int capacity) {
        this.cameraId = cameraId;
        this.frameTimeoutNs = frameTimeoutNs;
        this.capacity = capacity;
        this.pending = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Records a trigger about to be sent at {@code sentNs}; give it back with {@link #withdraw} if sending fails.
     *
     * @throws CameraException {@code DEVICE_ERROR} when {@code capacity} triggers are already waiting for frames
     */
    public Pending sent(TriggerTag tag, long sentNs) throws CameraException {
        Pending p = new Pending(tag, sentNs);
        if (!pending.offer(p)) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, "cameras[" + cameraId + "]: " + capacity
                    + " triggers without a frame; trigger " + tag.partId() + "/" + tag.shotName() + " refused");
        }
        return p;
    }

    /** Takes back a trigger that was never sent. */
    public void withdraw(Pending p) {
        pending.remove(p);
    }

    /** Whether a trigger sent before {@code frameNs} is waiting for a frame (gates frames nobody asked for). */
    public boolean waiting(long frameNs) {
        Pending p = pending.peek();
        return p != null && p.sentNs() - frameNs < 0;
    }

    /** The tag of the oldest trigger still in time for a frame that arrived at {@code frameNs}; null if none. */
    public @Nullable TriggerTag match(long frameNs) {
        Pending p;
        while ((p = pending.poll()) != null) {
            if (frameNs - p.sentNs() <= frameTimeoutNs) {
                return p.tag();
            }
            lost.incrementAndGet();
            LOG.atWarn().setMessage("no frame for trigger within the frame timeout").addKeyValue("camera", cameraId)
                    .addKeyValue("part", p.tag().partId()).addKeyValue("shot", p.tag().shotName()).log();
        }
        return null;
    }

    /** Forgets every waiting trigger (at start and stop: their frames will not come). */
    public void clear() {
        pending.clear();
    }

    /** Triggers given up because no frame came within the frame timeout. */
    public long lostTriggers() {
        return lost.get();
    }
}
