/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.acquisition;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.api.TruthBox;
import io.linesight.camera.driver.SinkDelivery;
import io.linesight.camera.driver.TriggerPacer;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquisition machinery the simulated cameras share: a frame pool allocated at open, one acquisition thread
 * named {@code camera-<id>-acq} per start, a trigger queue for {@link TriggerMode#SOFTWARE} and a pacing loop for
 * {@link TriggerMode#FREE_RUN}. A subclass only renders pixels into a pooled buffer ({@link #render}). The sink is
 * called through camera-api's {@link SinkDelivery} and free-run ticks are paced by its {@link TriggerPacer}, as in the
 * hardware drivers, so a sink that throws is contained here exactly as it is there: logged, counted
 * ({@link #sinkFailures()}), its frame closed, and acquisition goes on. Anything else that escapes a capture (an
 * {@link Error}) ends the run with one {@code onFault}, never a thread that died without a word.
 *
 * <p><b>Frames.</b> Frame ids count capture attempts since open, so a frame dropped because every buffer is still
 * held downstream leaves a gap. The device timestamp is a simulated camera clock: nanoseconds from open to the
 * start of exposure (trigger time, or the free-run tick). The host timestamp is {@link System#nanoTime()} at
 * delivery. Exposure and gain are those of the last {@link #configure} before the trigger.
 *
 * <p><b>Stop.</b> Delivery to the sink happens under a lock that {@link #stop()} also takes to end the run, so once
 * {@code stop()} returned no frame of that run reaches the sink; frames rendered but not delivered go back to the
 * pool and queued triggers are discarded.
 */
public abstract class SimulatedCamera implements Camera {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCamera.class);
    private static final int TRIGGER_QUEUE = 256;
    private static final long STOP_JOIN_MS = 2_000;

    /**
     * One exposure to make: the trigger's tag (null in free run and for line triggers), settings in force, when it
     * was asked for, and for a line trigger the part the edge said is under the camera (null when it did not say).
     */
    protected record Request(@Nullable TriggerTag tag, double exposureUs, double gainDb, long requestedAtNs,
                             @Nullable String partOnLine) {
        /** The part this exposure shows: the tag's part, else the line's, else null. */
        public @Nullable String partId() {
            return tag != null ? tag.partId() : partOnLine;
        }
    }

    /**
     * Hardware trigger input.
     *
     * @param linePort {@link TriggerMode#HARDWARE}: receive line edges as UDP datagrams on this loopback port
     *                 (0: no line input); missed on purpose like other triggers ({@link #missesTrigger})
     */
    public record Triggering(int linePort) {
        public static final Triggering NONE = new Triggering(0);
    }

    /** One start..stop; delivery checks {@code active} under the delivery lock. */
    private static final class Run {
        final FrameSink sink;
        volatile boolean active = true;
        /** A capture failed and the sink was told: the next frame delivered tells it the camera recovered. */
        boolean faulted;

        Run(FrameSink sink) {
            this.sink = sink;
        }
    }

    protected final CameraConfig config;
    private final CameraInfo info;
    private final FramePool pool;
    private final long readoutMs;
    private final double freeRunHz;
    private final long openedAtNs = System.nanoTime();
    private final BlockingQueue<Request> triggers = new ArrayBlockingQueue<>(TRIGGER_QUEUE);
    private final Object lifecycle = new Object();
    private final Object delivery = new Object();
    private final Frame.Builder meta = new Frame.Builder();
    private final Triggering triggering;
    private final SinkDelivery sinkDelivery;
    private @Nullable LineInput line;
    private volatile CameraSettings settings = CameraSettings.of(1_000, 0);
    private volatile boolean closed;
    private volatile @Nullable Run run;
    private @Nullable Thread thread;
    // only touched by the acquisition thread; runs are strictly sequential (stop joins the thread)
    private long nextFrameId;
    private long dropped;
    private long triggersSeen;
    private volatile long missed;

    /**
     * @param buffers   frame pool size
     * @param readoutMs simulated delay between exposure and delivery
     * @param freeRunHz frame rate in {@link TriggerMode#FREE_RUN}
     */
    protected SimulatedCamera(CameraConfig config, CameraInfo info, int buffers, long readoutMs, double freeRunHz) {
        this(config, info, buffers, readoutMs, freeRunHz, Triggering.NONE);
    }

    protected SimulatedCamera(CameraConfig config, CameraInfo info, int buffers, long readoutMs, double freeRunHz,
                              Triggering triggering) {
        this.config = config;
        this.triggering = triggering;
        this.info = info;
        this.readoutMs = readoutMs;
        this.freeRunHz = freeRunHz;
        int frameBytes = config.width() * config.height() * config.pixelFormat().bytesPerPixel();
        this.pool = new FramePool(buffers, frameBytes);
        this.sinkDelivery = new SinkDelivery(config.id());
    }

    /**
     * Renders one image into {@code dst} (a pooled buffer of {@code width*height*bytesPerPixel} bytes, position 0;
     * 16-bit pixels little-endian) and returns its ground truth (an immutable list). Called on the acquisition
     * thread only.
     *
     * @param frameId the id the frame will carry
     */
    protected abstract List<TruthBox> render(Request request, long frameId, ByteBuffer dst) throws CameraException;

    /** Whether the source has another image; a free-running camera idles while it has none. Acquisition thread. */
    protected boolean hasNextImage() {
        return true;
    }

    /**
     * Whether the camera misses trigger number {@code trigger} (1 for the first since open, counting software
     * triggers and free-run ticks alike): a missed trigger is accepted by {@link #trigger} but gives no frame and
     * takes no frame id, as on a camera that never saw the edge. For fault injection; called on the acquisition
     * thread, in trigger order.
     */
    protected boolean missesTrigger(long trigger) {
        return false;
    }

    /** Called on the control thread before a trigger is queued; may refuse it. */
    protected void beforeTrigger() throws CameraException {
    }

    /** Releases what the subclass holds; called once by {@link #close()} after acquisition stopped. */
    protected void release() {
    }

    @Override
    public CameraInfo info() {
        return info;
    }

    @Override
    public TriggerMode triggerMode() {
        return config.triggerMode();
    }

    /** Triggers missed on purpose since open ({@link #missesTrigger}), for tests and statistics. */
    public long missedTriggers() {
        return missed;
    }

    /** Calls into the sink that threw since open (each contained), for tests and statistics. */
    public long sinkFailures() {
        return sinkDelivery.sinkFailures();
    }

    /** The frame pool, for tests and statistics. */
    public FramePool pool() {
        return pool;
    }

    private void ensureOpen() throws CameraException {
        if (closed) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR,
                    "camera '" + config.id() + "' (" + config.driver() + ") is closed; open it again");
        }
    }

    @Override
    public void configure(CameraSettings s) throws CameraException {
        ensureOpen();
        if (!(s.exposureUs() > 0) || !Double.isFinite(s.exposureUs())) {
            throw new CameraException(CameraException.Code.BAD_SETTING,
                    "camera '" + config.id() + "': exposure " + s.exposureUs() + " us must be positive");
        }
        if (!Double.isFinite(s.gainDb())) {
            throw new CameraException(CameraException.Code.BAD_SETTING,
                    "camera '" + config.id() + "': gain " + s.gainDb() + " dB is not a number");
        }
        if (!s.features().isEmpty()) {
            throw new CameraException(CameraException.Code.BAD_SETTING, "camera '" + config.id() + "' ("
                    + config.driver() + ") has no vendor features; refused: " + s.features().keySet());
        }
        settings = s;
    }

    @Override
    public void start(FrameSink sink) throws CameraException {
        synchronized (lifecycle) {
            ensureOpen();
            if (run != null) {
                return;
            }
            Run r = new Run(sink);
            triggers.clear();
            if (config.triggerMode() == TriggerMode.HARDWARE && triggering.linePort() > 0) {
                try {
                    line = new LineInput(config.id(), triggering.linePort(), this::lineEdge);
                } catch (java.net.SocketException e) {
                    throw new CameraException(CameraException.Code.DEVICE_ERROR, "cameras[" + config.id()
                            + "].options.line: cannot listen on udp port " + triggering.linePort() + ": " + e.getMessage(), e);
                }
            }
            Runnable loop = config.triggerMode() == TriggerMode.FREE_RUN ? () -> freeRun(r) : () -> triggered(r);
            Thread t = Thread.ofPlatform().name("camera-" + config.id() + "-acq").daemon().unstarted(loop);
            run = r;
            thread = t;
            t.start();
            LOG.atDebug().addKeyValue("camera", config.id()).addKeyValue("mode", config.triggerMode())
                    .log("acquisition started");
        }
    }

    @Override
    public void trigger(TriggerTag tag) throws CameraException {
        ensureOpen();
        if (config.triggerMode() != TriggerMode.SOFTWARE) {
            throw new CameraException(CameraException.Code.BAD_SETTING, "camera '" + config.id()
                    + "' runs in triggerMode " + config.triggerMode().name().toLowerCase(java.util.Locale.ROOT)
                    + "; software triggers need triggerMode software");
        }
        if (run == null) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR,
                    "camera '" + config.id() + "' is not started; call start() before trigger()");
        }
        beforeTrigger();
        CameraSettings s = settings;
        if (!triggers.offer(new Request(tag, s.exposureUs(), s.gainDb(), System.nanoTime(), null))) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, "camera '" + config.id()
                    + "': trigger overrun, " + TRIGGER_QUEUE + " triggers are already waiting");
        }
    }

    /** A line edge (line input thread). */
    private void lineEdge(long atNanos, @Nullable String partOnLine) {
        if (run == null) {
            return;
        }
        CameraSettings s = settings;
        if (!triggers.offer(new Request(null, s.exposureUs(), s.gainDb(), atNanos, partOnLine))) {
            LOG.atWarn().addKeyValue("camera", config.id()).log("line trigger overrun: edge lost");
        }
    }

    @Override
    public void stop() {
        Run r;
        Thread t;
        synchronized (lifecycle) {
            r = run;
            t = thread;
            run = null;
            thread = null;
        }
        if (r == null) {
            return;
        }
        LineInput l = line;
        if (l != null) {
            l.close();
            line = null;
        }
        synchronized (delivery) {
            // waits for a delivery in progress; afterwards no frame of this run reaches the sink
            r.active = false;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(STOP_JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.atWarn().addKeyValue("camera", config.id())
                        .log("acquisition thread did not end within " + STOP_JOIN_MS + " ms; it will deliver nothing");
            }
        }
        triggers.clear();
        LOG.atDebug().addKeyValue("camera", config.id()).log("acquisition stopped");
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stop();
        release();
    }

    private void triggered(Run r) {
        try {
            while (r.active) {
                capture(r, triggers.take());
            }
        } catch (InterruptedException e) {
            // stop() interrupts the wait for the next trigger
        } catch (RuntimeException | Error e) {
            failed(r, e);
        }
    }

    private void freeRun(Run r) {
        // stop() interrupts the sleep; the pacer then throws and the run ends
        TriggerPacer ticks = new TriggerPacer(config.id(), (long) (1e9 / freeRunHz), System::nanoTime, nanos -> {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        });
        try {
            while (r.active) {
                // a late tick is not made up for (its slot is now): a slow consumer lowers the rate, never bursts
                ticks.fired(ticks.awaitSlot());
                if (hasNextImage()) {
                    CameraSettings s = settings;
                    capture(r, new Request(null, s.exposureUs(), s.gainDb(), System.nanoTime(), null));
                }
            }
        } catch (CameraException e) {
            // interrupted by stop()
        } catch (RuntimeException | Error e) {
            failed(r, e);
        }
    }

    /** Something escaped a capture: the run is over, and the sink hears so once instead of waiting for frames. */
    private void failed(Run r, Throwable e) {
        LOG.atError().addKeyValue("camera", config.id()).setCause(e).log("acquisition thread failed");
        fault(r, new CameraException(CameraException.Code.DEVICE_ERROR,
                "camera '" + config.id() + "': acquisition failed: " + e, e));
    }

    private void capture(Run r, Request req) {
        long trigger = ++triggersSeen;
        if (missesTrigger(trigger)) {
            missed++;
            LOG.atDebug().addKeyValue("camera", config.id()).addKeyValue("trigger", trigger)
                    .addKeyValue("missed", missed).log("trigger missed on purpose: no frame");
            return;
        }
        long frameId = nextFrameId++;
        FramePool.Slot slot = pool.acquire(config.frameTimeoutMs());
        if (slot == null) {
            if (r.active && !Thread.currentThread().isInterrupted()) {
                dropped++;
                if (dropped == 1 || dropped % 100 == 0) {
                    LOG.atWarn().addKeyValue("camera", config.id()).addKeyValue("frameId", frameId)
                            .addKeyValue("dropped", dropped).addKeyValue("buffers", pool.capacity())
                            .log("no free frame buffer: every buffer is still held downstream; frame dropped");
                }
            }
            return;
        }
        List<TruthBox> truth;
        try {
            truth = render(req, frameId, slot.buffer());
            // Frame.pixels() views the buffer from its position: hand it over rewound
            slot.buffer().clear();
        } catch (CameraException e) {
            slot.release();
            fault(r, e);
            return;
        } catch (RuntimeException e) {
            slot.release();
            fault(r, new CameraException(CameraException.Code.DEVICE_ERROR,
                    "camera '" + config.id() + "': rendering frame " + frameId + " failed: " + e, e));
            return;
        }
        if (readoutMs > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(readoutMs);
            } catch (InterruptedException e) {
                slot.release();
                Thread.currentThread().interrupt();
                return;
            }
        }
        meta.cameraId(config.id()).frameId(frameId).deviceTimestampNs(req.requestedAtNs() - openedAtNs)
                .hostTimestampNs(System.nanoTime()).exposureUs(req.exposureUs()).gainDb(req.gainDb())
                .format(config.pixelFormat(), config.width(), config.height()).tag(req.tag()).complete(true)
                .truth(truth).truthPartId(req.partId()).hostTriggerNs(req.requestedAtNs());
        Frame frame = pool.publish(slot, meta);
        synchronized (delivery) {
            if (!r.active) {
                frame.close();
                return;
            }
            if (r.faulted) {
                // one capture failed (an unreadable replay file, say), this one worked: the fault is over, or the
                // station would go on rejecting every part as CAMERA_FAULT while frames arrive
                r.faulted = false;
                sinkDelivery.recovered(r.sink);
            }
            sinkDelivery.frame(r.sink, frame);
        }
    }

    private void fault(Run r, CameraException e) {
        LOG.atWarn().addKeyValue("camera", config.id()).setCause(e).log("camera fault");
        synchronized (delivery) {
            if (r.active) {
                r.faulted = true;
                sinkDelivery.fault(r.sink, e);
            }
        }
    }
}
