/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.driver.SinkDelivery;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a grabbed image to a frame in the sink: checks it against the configuration ({@link ImageCheck}), copies it
 * row by row into a pooled buffer (leaving any row padding behind), tags it, and hands it over. An image that is not
 * the configured one is not copied: its frame is delivered incomplete, with the reason and a zeroed buffer (an earlier
 * part's pixels must not be archived as this one's), so the station rejects it with {@code IMAGE_INCOMPLETE} and never
 * judges it. A sink that throws is contained by {@link SinkDelivery}: logged and counted, its frame closed, and
 * acquisition goes on.
 *
 * <p>Used by the acquisition thread only; the counters may be read from any thread.
 */
final class FrameDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDelivery.class);
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final CameraConfig config;
    private final FramePool pool;
    private volatile ImageCheck check;
    private final Frame.Builder builder = new Frame.Builder();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();
    private final SinkDelivery sinks;
    private long frameCounter;

    FrameDelivery(CameraConfig config, ImageCheck check, FramePool pool, SinkDelivery sinks) {
        this.config = config;
        this.sinks = sinks;
        this.check = check;
        this.pool = pool;
    }

    /** What images must look like from now on (the pixel format chosen at a (re)connect); set while not acquiring. */
    void expect(ImageCheck newCheck) {
        this.check = newCheck;
    }

    /** Delivers {@code image} to {@code sink} as the next frame; drops it (logged) when no pooled buffer is free. */
    void deliver(GrabbedImage image, @Nullable TriggerTag tag, FrameSink sink, double exposureUs, double gainDb) {
        String mismatch = check.mismatch(image);
        FramePool.Slot slot = pool.acquire(0);
        if (slot == null) {
            LOG.atWarn().setMessage("no free frame buffer, image dropped").addKeyValue("camera", config.id()).log();
            return;
        }
        if (mismatch == null) {
            copy(image, slot.buffer());
        } else {
            zero(slot.buffer());
        }
        builder.cameraId(config.id()).frameId(++frameCounter).deviceTimestampNs(image.timestampNs())
                .hostTimestampNs(System.nanoTime()).exposureUs(exposureUs).gainDb(gainDb)
                .format(config.pixelFormat(), config.width(), config.height()).tag(tag);
        String reason = mismatch != null ? mismatch : image.incomplete() ? image.problem() : null;
        if (reason == null) {
            builder.complete(true);
        } else {
            builder.incomplete(reason);
            incomplete.incrementAndGet();
            if (mismatch != null) {
                LOG.atWarn().setMessage("image is not the configured one, frame flagged incomplete").addKeyValue("camera", config.id())
                        .addKeyValue("frame", frameCounter).addKeyValue("reason", mismatch).log();
            }
        }
        Frame frame = pool.publish(slot, builder);
        delivered.incrementAndGet();
        sinks.frame(sink, frame);
    }

    private void copy(GrabbedImage image, ByteBuffer dst) {
        ImageCheck check = this.check;
        long stride = image.stride();
        int rowBytes = check.rowBytes();
        ByteBuffer src = image.data(check.bytesNeeded(stride));
        if (stride == rowBytes) {
            dst.put(0, src, 0, rowBytes * check.height());
            return;
        }
        for (int row = 0; row < check.height(); row++) {
            dst.put(row * rowBytes, src, (int) (row * stride), rowBytes);
        }
    }

    private static void zero(ByteBuffer dst) {
        for (int at = 0; at < dst.capacity(); at += ZEROS.length) {
            dst.put(at, ZEROS, 0, Math.min(ZEROS.length, dst.capacity() - at));
        }
    }

    /** Frames handed to the sink, incomplete ones included. */
    long delivered() {
        return delivered.get();
    }

    /** Frames delivered incomplete (lost packets, or not the configured image). */
    long incomplete() {
        return incomplete.get();
    }
}
