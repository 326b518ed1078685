/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FrameSink;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a camera's {@link FrameSink} the one way every driver does: an exception the sink throws is contained. It is
 * logged (the first, then every 100th, with the running count), counted, and for {@code onFrame} the frame is closed
 * on the sink's behalf if the sink had not closed it, so its pooled buffer goes back; then the call returns normally
 * and the acquisition thread goes on with the next frame.
 *
 * <p>An {@link Error} is not contained: it propagates to the driver's loop, which reports it as a camera fault (a
 * sink that breaks the VM's rules must not look like a working camera).
 *
 * <p><b>Threads.</b> {@link #frame} is called on the driver's acquisition thread; {@link #fault} and
 * {@link #recovered} on the acquisition or reconnect thread. The calls block for as long as the sink does (the sink
 * must not block). Thread-safe: the counter is atomic and may be read from any thread.
 *
 * <p><b>Ownership.</b> {@link #frame} hands the sink the frame's one reference; on a throw that reference comes back
 * here and is released.
 */
public final class SinkDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(SinkDelivery.class);
    private static final long LOG_EVERY = 100;

    private final String cameraId;
    private final AtomicLong failures = new AtomicLong();

    /** @param cameraId the camera's config id, for the log */
    public SinkDelivery(String cameraId) {
        this.cameraId = cameraId;
    }

    /** Hands {@code frame} to {@code sink}; returns false when the sink threw (the frame is then closed here). */
    public boolean frame(FrameSink sink, Frame frame) {
        try {
            sink.onFrame(frame);
            return true;
        } catch (RuntimeException e) {
            contained("onFrame", e);
            if (!frame.isReleased()) {
                frame.close();
            }
            return false;
        }
    }

    /** Tells {@code sink} the camera failed; returns false when the sink threw. */
    public boolean fault(FrameSink sink, CameraException fault) {
        try {
            sink.onFault(fault);
            return true;
        } catch (RuntimeException e) {
            contained("onFault", e);
            return false;
        }
    }

    /** Tells {@code sink} the camera is back; returns false when the sink threw. */
    public boolean recovered(FrameSink sink) {
        try {
            sink.onRecovered();
            return true;
        } catch (RuntimeException e) {
            contained("onRecovered", e);
            return false;
        }
    }

    /** Calls into the sink that threw, since this camera was opened. */
    public long sinkFailures() {
        return failures.get();
    }

    private void contained(String callback, RuntimeException e) {
        long n = failures.incrementAndGet();
        if (n == 1 || n % LOG_EVERY == 0) {
            LOG.atError().setMessage("frame sink threw; contained, acquisition goes on").addKeyValue("camera", cameraId)
                    .addKeyValue("callback", callback).addKeyValue("sinkFailures", n).setCause(e).log();
        }
    }
}
