/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One image from a camera: pixels in a pooled direct buffer plus everything needed to trust and trace it.
 *
 * <p><b>Ownership.</b> A frame is reference counted. The driver hands it to {@link FrameSink#onFrame} holding one
 * reference, which passes to the sink. Every stage that keeps the frame beyond the call that gave it
 * {@link #retain() retains} it and {@link #close() closes} it when done; the last close returns the buffer to its
 * {@link FramePool}. Pixels must not be read after one's own close. Stages never write into the pixels.
 *
 * <p>16-bit formats are little-endian, unpacked, one pixel per two bytes. Rows are {@link #stride()} bytes apart.
 */
public final class Frame implements AutoCloseable {
    private final FramePool.Slot slot;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final String cameraId;
    private final long frameId;
    private final long deviceTimestampNs;
    private final long hostTimestampNs;
    private final double exposureUs;
    private final double gainDb;
    private final PixelFormat pixelFormat;
    private final int width;
    private final int height;
    private final int stride;
    private final @Nullable TriggerTag tag;
    private final boolean complete;
    private final @Nullable String incompleteReason;
    private final List<TruthBox> truth;
    private final @Nullable String truthPartId;
    private final long hostTriggerNs;

    Frame(FramePool.Slot slot, Builder b) {
        this.slot = slot;
        this.cameraId = b.cameraId;
        this.frameId = b.frameId;
        this.deviceTimestampNs = b.deviceTimestampNs;
        this.hostTimestampNs = b.hostTimestampNs;
        this.exposureUs = b.exposureUs;
        this.gainDb = b.gainDb;
        this.pixelFormat = b.pixelFormat;
        this.width = b.width;
        this.height = b.height;
        this.stride = b.stride > 0 ? b.stride : b.width * b.pixelFormat.bytesPerPixel();
        this.tag = b.tag;
        this.complete = b.complete;
        this.incompleteReason = b.complete ? null : b.incompleteReason;
        this.truth = List.copyOf(b.truth);
        this.truthPartId = b.truthPartId;
        this.hostTriggerNs = b.hostTriggerNs;
    }

    /** Read-only view of the pixels, positioned at 0, little-endian. A new view per call; views share the buffer. */
    public ByteBuffer pixels() {
        ensureOpen();
        return slot.buffer().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN).limit(stride * height);
    }

    /** Adds a reference; the caller must {@link #close()} it. Returns this frame. */
    public Frame retain() {
        int before = refs.getAndUpdate(r -> r > 0 ? r + 1 : r);
        if (before <= 0) {
            throw new IllegalStateException("frame " + frameId + " of " + cameraId + " is already released");
        }
        return this;
    }

    /** Drops one reference; the last one returns the buffer to the pool. Safe to call once per reference held. */
    @Override
    public void close() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            slot.release();
        } else if (left < 0) {
            throw new IllegalStateException("frame " + frameId + " of " + cameraId + " closed more often than retained");
        }
    }

    public boolean isReleased() {
        return refs.get() <= 0;
    }

    private void ensureOpen() {
        if (refs.get() <= 0) {
            throw new IllegalStateException("frame " + frameId + " of " + cameraId + " is already released");
        }
    }

    public String cameraId() {
        return cameraId;
    }

    /** Increases by one per frame the camera delivered since it was opened (gaps mean lost frames). */
    public long frameId() {
        return frameId;
    }

    /** Camera clock, nanoseconds; 0 when the camera has none. */
    public long deviceTimestampNs() {
        return deviceTimestampNs;
    }

    /** {@link System#nanoTime()} when the host received the frame. */
    public long hostTimestampNs() {
        return hostTimestampNs;
    }

    public double exposureUs() {
        return exposureUs;
    }

    public double gainDb() {
        return gainDb;
    }

    public PixelFormat pixelFormat() {
        return pixelFormat;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Bytes from the start of one row to the next. */
    public int stride() {
        return stride;
    }

    /** The part and shot this frame was triggered for, when the trigger came from the station; else null. */
    public @Nullable TriggerTag tag() {
        return tag;
    }

    public @Nullable String shotName() {
        return tag == null ? null : tag.shotName();
    }

    /** False when packets or lines were lost: such an image is never judged as good. */
    public boolean complete() {
        return complete;
    }

    /**
     * Why an incomplete frame is incomplete, when the driver knows more than "packets lost" (e.g. "image 640x470,
     * configured 640x480"); null for complete frames and when the driver gives no reason.
     */
    public @Nullable String incompleteReason() {
        return incompleteReason;
    }

    /** Known defects in this image (synthetic camera, labelled replay folders); empty for real cameras. */
    public List<TruthBox> truth() {
        return truth;
    }

    /**
     * The part this image really shows, when the camera knows (a simulator rendering the part it was told is under
     * it); null for real cameras. Lets a test or the chaos run tell a frame judged under the wrong part id.
     */
    public @Nullable String truthPartId() {
        return truthPartId;
    }

    /**
     * {@link System#nanoTime()} of the trigger that made this frame (line edge or software trigger) when the driver
     * knows it on the host's clock; 0 when it does not (then the device timestamp, mapped onto the host clock, or the
     * host timestamp of delivery is all there is).
     */
    public long hostTriggerNs() {
        return hostTriggerNs;
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + "#" + frameId + " " + width + "x" + height + " " + pixelFormat
                + (tag == null ? "" : " " + tag) + (complete ? "" : " INCOMPLETE") + "]";
    }

    /** Filled in by a driver, then {@link FramePool#publish(FramePool.Slot, Builder)}. Reusable. */
    public static final class Builder {
        String cameraId = "";
        long frameId;
        long deviceTimestampNs;
        long hostTimestampNs;
        double exposureUs;
        double gainDb;
        PixelFormat pixelFormat = PixelFormat.MONO8;
        int width;
        int height;
        int stride;
        @Nullable TriggerTag tag;
        boolean complete = true;
        @Nullable String incompleteReason;
        List<TruthBox> truth = List.of();
        @Nullable String truthPartId;
        long hostTriggerNs;

        public Builder cameraId(String v) {
            cameraId = v;
            return this;
        }

        public Builder frameId(long v) {
            frameId = v;
            return this;
        }

        public Builder deviceTimestampNs(long v) {
            deviceTimestampNs = v;
            return this;
        }

        public Builder hostTimestampNs(long v) {
            hostTimestampNs = v;
            return this;
        }

        public Builder exposureUs(double v) {
            exposureUs = v;
            return this;
        }

        public Builder gainDb(double v) {
            gainDb = v;
            return this;
        }

        public Builder format(PixelFormat f, int w, int h) {
            pixelFormat = f;
            width = w;
            height = h;
            stride = w * f.bytesPerPixel();
            return this;
        }

        public Builder stride(int v) {
            stride = v;
            return this;
        }

        public Builder tag(@Nullable TriggerTag v) {
            tag = v;
            return this;
        }

        /** Complete or not, without a reason (clears one set by {@link #incomplete(String)}). */
        public Builder complete(boolean v) {
            complete = v;
            incompleteReason = null;
            return this;
        }

        /** Incomplete, saying why: the frame is never judged, and the reason travels with the part's reject. */
        public Builder incomplete(String reason) {
            complete = false;
            incompleteReason = reason;
            return this;
        }

        public Builder truth(List<TruthBox> v) {
            truth = v;
            return this;
        }

        /** The part the image really shows, for simulators; null for real cameras. */
        public Builder truthPartId(@Nullable String v) {
            truthPartId = v;
            return this;
        }

        /** The trigger's time on the host's {@link System#nanoTime()} clock, if the driver knows it; else 0. */
        public Builder hostTriggerNs(long v) {
            hostTriggerNs = v;
            return this;
        }
    }
}
