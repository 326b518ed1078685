/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.camera.api.FrameSink;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.driver.Backoff;
import io.linesight.camera.driver.Pause;
import io.linesight.camera.driver.Reconnector;
import io.linesight.camera.driver.SinkDelivery;
import io.linesight.camera.driver.TriggerMatcher;
import io.linesight.camera.driver.TriggerPacer;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GenICam camera through Aravis.
 *
 * <p><b>Threads.</b> Control calls come from the sequencer and are serialised by {@code controlLock}, which also
 * guards every native handle of the current {@link Session}. Each session has its own acquisition thread
 * ({@code genicam-acq-<id>}) that pops filled Aravis buffers, copies or unpacks them into a {@link FramePool} slot,
 * delivers the frame through {@link SinkDelivery} (a sink that throws is contained) and pushes the buffer back.
 * Software triggers are paced by a {@link TriggerPacer} and paired with their frames by a {@link TriggerMatcher}.
 * When the device is lost, the acquisition thread reports the fault once and hands over to a {@link Reconnector}
 * ({@code genicam-reconnect-<id>}) that tears the session down and opens a new one with capped backoff, re-applying
 * the configuration and the last settings.
 *
 * <p><b>Never hang.</b> Buffer pops time out every 50 ms; GVCP calls are bounded by Aravis' timeout and retries;
 * {@link #close()} from any thread ends the acquisition and reconnect threads.
 */
public final class GenicamCamera implements Camera {
    private static final Logger LOG = LoggerFactory.getLogger(GenicamCamera.class);
    private static final long POP_TIMEOUT_US = 50_000;
    private static final long JOIN_MS = 5_000;
    private static final int MAX_PENDING_TRIGGERS = 256;

    private final ArvLib lib;
    private final CameraConfig config;
    private final GenicamOptions options;
    private final CameraInfo info;
    private final FramePool pool;
    private final int width;
    private final int height;
    private final long minTriggerIntervalNs;
    private final TriggerMatcher triggers;
    private final SinkDelivery sinkDelivery;
    private final Reconnector reconnector;
    private final boolean gate;

    private final ReentrantLock controlLock = new ReentrantLock();
    /** Guards running/acqBusy/sink and the hand-over of frames: nothing is delivered unless running. */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final Condition deliveryChanged = deliveryLock.newCondition();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile boolean closed;

    // written under controlLock; volatile for onLost, which reads it without that lock (a reconnect attempt holds it
    // while joining the acquisition thread)
    private volatile @Nullable Session session;
    // guarded by controlLock
    private @Nullable CameraSettings lastSettings;
    private final TriggerPacer pacer;
    /** Streaming ran when the camera was lost and a reconnect has not restarted it yet. */
    private boolean resumeAfterReconnect;

    // guarded by deliveryLock
    private boolean running;
    private boolean acqBusy;
    private @Nullable FrameSink sink;
    private boolean faulted;

    // written by the control thread after configure(), read per frame
    private volatile double exposureUs;
    private volatile double gainDb;

    // acquisition thread only (the previous one has ended before a new one starts)
    private final Frame.Builder builder = new Frame.Builder();
    private long frameCounter;
    private long lastDeviceFrameId = -1;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong incomplete = new AtomicLong();
    private final AtomicLong lostFrames = new AtomicLong();
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong untriggered = new AtomicLong();

    /** The native side of one connection; replaced as a whole on reconnect. */
    private static final class Session {
        final ArvCamera cam;
        final WireFormat wire;
        final AtomicBoolean lost = new AtomicBoolean();
        volatile boolean exit;
        @Nullable ArvStreamRing ring;
        @Nullable Thread acq;
        long lostKey;
        boolean acquiring;

        Session(ArvCamera cam, WireFormat wire) {
            this.cam = cam;
            this.wire = wire;
        }

        ArvStreamRing ring() {
            ArvStreamRing r = ring;
            if (r == null) {
                throw new IllegalStateException("session without stream");
            }
            return r;
        }
    }

    private GenicamCamera(ArvLib lib, CameraConfig config, GenicamOptions options, CameraInfo info) {
        this.lib = lib;
        this.config = config;
        this.options = options;
        this.info = info;
        this.width = config.width();
        this.height = config.height();
        this.minTriggerIntervalNs = TimeUnit.MILLISECONDS.toNanos(options.minTriggerIntervalMsFor(info));
        this.gate = config.triggerMode() == TriggerMode.SOFTWARE && options.gateUntriggeredFor(info);
        this.pool = new FramePool(options.poolSize(), width * height * config.pixelFormat().bytesPerPixel());
        this.pacer = new TriggerPacer(config.id(), minTriggerIntervalNs, System::nanoTime, Pause.until(closedLatch));
        this.triggers = new TriggerMatcher(config.id(), TimeUnit.MILLISECONDS.toNanos(config.frameTimeoutMs()),
                MAX_PENDING_TRIGGERS);
        this.sinkDelivery = new SinkDelivery(config.id());
        this.reconnector = new Reconnector(config.id(), "genicam-reconnect-" + config.id(),
                new Backoff(100, options.reconnectMaxBackoffMs(), Backoff.DEFAULT_JITTER), this::onReconnectState);
    }

    /** Finds the camera {@code config.device()} names, connects and configures it. */
    static GenicamCamera open(ArvLib lib, CameraConfig config, GenicamOptions options) throws CameraException {
        List<CameraInfo> found = ArvDiscovery.devices(lib);
        CameraInfo info = ArvDiscovery.match(found, config.device());
        if (info == null) {
            info = matchUserId(lib, found, config.device());
        }
        if (info == null) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, "genicam: cameras[" + config.id()
                    + "].device '" + config.device() + "' not found; found: "
                    + found.stream().map(c -> c.id() + " (" + c.address() + ")").toList());
        }
        GenicamCamera camera = new GenicamCamera(lib, config, options, info);
        camera.controlLock.lock();
        try {
            camera.session = camera.openSession(false);
        } finally {
            camera.controlLock.unlock();
        }
        LOG.atInfo().setMessage("camera opened").addKeyValue("camera", config.id()).addKeyValue("device", info.id())
                .addKeyValue("address", info.address()).addKeyValue("trigger", config.triggerMode()).log();
        return camera;
    }

    /** Last resort: connect to each camera and compare its DeviceUserID. */
    private static @Nullable CameraInfo matchUserId(ArvLib lib, List<CameraInfo> found, @Nullable String device) {
        if (device == null || device.isBlank()) {
            return null;
        }
        for (CameraInfo c : found) {
            try (ArvCamera cam = ArvCamera.open(lib, c.id())) {
                if (cam.isFeatureAvailable("DeviceUserID") && device.trim().equals(cam.getString("DeviceUserID"))) {
                    return c;
                }
            } catch (CameraException e) {
                LOG.atDebug().setMessage("cannot read DeviceUserID").addKeyValue("device", c.id()).setCause(e).log();
            }
        }
        return null;
    }

    @Override
    public CameraInfo info() {
        return info;
    }

    @Override
    public TriggerMode triggerMode() {
        return config.triggerMode();
    }

    /** Counters since open. */
    public AcquisitionStats stats() {
        return new AcquisitionStats(delivered.get(), incomplete.get(), lostFrames.get(), triggers.lostTriggers(),
                pool.exhausted(), faults.get(), untriggered.get(), sinkDelivery.sinkFailures());
    }

    /** The feature's current value as text, read from the device (any GenICam feature). */
    public String feature(String name) throws CameraException {
        controlLock.lock();
        try {
            return live().cam.getFeature(name);
        } finally {
            controlLock.unlock();
        }
    }

    /** Sets any GenICam feature from text, converted by its type; a command is executed. */
    public void setFeature(String name, String value) throws CameraException {
        controlLock.lock();
        try {
            live().cam.setFeature(name, value);
        } finally {
            controlLock.unlock();
        }
    }

    @Override
    public void configure(CameraSettings settings) throws CameraException {
        controlLock.lock();
        try {
            ensureOpen();
            lastSettings = settings;
            applySettings(live().cam, settings);
        } finally {
            controlLock.unlock();
        }
    }

    @Override
    public void start(FrameSink frameSink) throws CameraException {
        controlLock.lock();
        try {
            ensureOpen();
            deliveryLock.lock();
            try {
                sink = frameSink;
                if (running) {
                    return;
                }
            } finally {
                deliveryLock.unlock();
            }
            startStreaming(live());
        } finally {
            controlLock.unlock();
        }
    }

    /** With the acquisition thread parked: forget stale images and triggers, start the camera, let frames flow. */
    private void startStreaming(Session s) throws CameraException {
        s.ring().drain();
        triggers.clear();
        lastDeviceFrameId = -1;
        s.cam.startAcquisition();
        s.acquiring = true;
        if (gate) {
            // The Aravis fakes keep a software trigger sent while stopped and fire it at their first tick after a
            // start; hold the first trigger back two trigger intervals so that stale frame comes first and is
            // discarded as untriggered instead of being taken for the next part's.
            pacer.holdFor(2 * minTriggerIntervalNs);
        }
        deliveryLock.lock();
        try {
            running = true;
            deliveryChanged.signalAll();
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public void trigger(TriggerTag tag) throws CameraException {
        controlLock.lock();
        try {
            ensureOpen();
            if (config.triggerMode() != TriggerMode.SOFTWARE) {
                throw new CameraException(CameraException.Code.BAD_SETTING, "genicam: cameras[" + config.id()
                        + "] is in " + config.triggerMode() + " trigger mode; trigger() needs software");
            }
            Session s = live();
            if (!isRunning()) {
                throw new CameraException(CameraException.Code.DEVICE_ERROR,
                        "genicam: cameras[" + config.id() + "] is not started");
            }
            // a trigger sent earlier than the camera's shortest interval would be dropped by the camera
            pacer.awaitSlot();
            TriggerMatcher.Pending p = triggers.sent(tag, System.nanoTime());
            try {
                s.cam.softwareTrigger();
            } catch (CameraException e) {
                triggers.withdraw(p);
                throw e;
            }
            pacer.fired(p.sentNs());
        } finally {
            controlLock.unlock();
        }
    }

    @Override
    public void stop() {
        controlLock.lock();
        try {
            resumeAfterReconnect = false;
            if (!parkAcquisition()) {
                return;
            }
            Session s = session;
            if (s != null && s.acquiring && !s.lost.get()) {
                try {
                    s.cam.stopAcquisition();
                } catch (CameraException e) {
                    LOG.atWarn().setMessage("AcquisitionStop failed").addKeyValue("camera", config.id()).setCause(e)
                            .log();
                }
                s.acquiring = false;
                s.ring().drain();
            }
            triggers.clear();
        } finally {
            controlLock.unlock();
        }
    }

    /**
     * Stops deliveries and waits until the acquisition thread is parked (at most one pop timeout); after this no
     * frame reaches the sink. Returns whether acquisition was running.
     */
    private boolean parkAcquisition() {
        deliveryLock.lock();
        try {
            boolean was = running;
            running = false;
            deliveryChanged.signalAll();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MS);
            while (acqBusy && System.nanoTime() < deadline) {
                deliveryChanged.await(10, TimeUnit.MILLISECONDS);
            }
            return was;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running;
        } finally {
            deliveryLock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        closedLatch.countDown();
        controlLock.lock();
        try {
            parkAcquisition();
            Session s = session;
            session = null;
            if (s != null) {
                teardown(s);
            }
        } finally {
            controlLock.unlock();
        }
        // outside controlLock: a reconnect attempt takes it
        reconnector.close();
    }

    // --- sessions ---

    private void ensureOpen() throws CameraException {
        if (closed) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED,
                    "genicam: cameras[" + config.id() + "] is closed");
        }
    }

    private boolean isRunning() {
        deliveryLock.lock();
        try {
            return running;
        } finally {
            deliveryLock.unlock();
        }
    }

    /** The connected session, or NOT_CONNECTED while the camera is away (a reconnect is under way). */
    private Session live() throws CameraException {
        ensureOpen();
        Session s = session;
        if (s == null || s.lost.get()) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, "genicam: cameras[" + config.id() + "] ("
                    + info.id() + ") is disconnected; reconnecting");
        }
        return s;
    }

    /** Connects and configures the device, creates the stream, starts the acquisition thread (parked). */
    private Session openSession(boolean rediscover) throws CameraException {
        CameraInfo where = info;
        if (rediscover) {
            // the device may have come back elsewhere (DHCP); discovery also refreshes Aravis' list for arv_camera_new
            CameraInfo again = ArvDiscovery.match(ArvDiscovery.devices(lib), info.id());
            if (again == null) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED, "genicam: " + info.id() + " not found");
            }
            where = again;
        }
        ArvCamera cam = ArvCamera.open(lib, where.id());
        Session s = null;
        try {
            boolean gige = cam.isGigE();
            if (gige) {
                cam.setGvPacketSocket(options.packetSocketFor(where.address()));
                if (options.packetSize() > 0) {
                    cam.setGvPacketSize(options.packetSize());
                }
                if (options.packetDelayNs() >= 0) {
                    cam.setGvPacketDelayNs(options.packetDelayNs());
                }
            }
            WireFormat wire = choosePixelFormat(cam);
            cam.setRegion(options.offsetX(), options.offsetY(), width, height);
            int[] r = cam.region();
            if (r[2] != width || r[3] != height) {
                throw new CameraException(CameraException.Code.BAD_SETTING, "genicam: cameras[" + config.id()
                        + "]: asked for " + width + "x" + height + ", the camera set " + r[2] + "x" + r[3]);
            }
            if (cam.isFeatureAvailable("AcquisitionMode")) {
                cam.setString("AcquisitionMode", "Continuous");
            }
            configureTrigger(cam);
            if (options.strobeLine() != null) {
                cam.setString("LineSelector", options.strobeLine());
                cam.setString("LineMode", "Output");
                cam.setString("LineSource", options.strobeSource());
            }
            CameraSettings settings = lastSettings;
            if (settings != null) {
                applySettings(cam, settings);
            } else {
                exposureUs = cam.exposureUs();
                gainDb = cam.gain();
            }
            int payload = cam.payloadBytes();
            s = new Session(cam, wire);
            s.ring = ArvStreamRing.create(lib, cam, options.streamBuffers(), payload, gige
                    ? new ArvStreamRing.GigeTuning(options.socketBufferBytes(), options.packetTimeoutUs(),
                            options.frameRetentionUs())
                    : ArvStreamRing.GigeTuning.NONE);
            if (gige) {
                AtomicBoolean lost = s.lost;
                s.lostKey = cam.onControlLost(() -> lost.set(true));
            }
            Session started = s;
            Thread acq = Thread.ofPlatform().name("genicam-acq-" + config.id()).daemon()
                    .unstarted(() -> acquisitionLoop(started));
            s.acq = acq;
            acq.start();
            return s;
        } catch (CameraException | RuntimeException e) {
            if (s != null && s.ring != null) {
                s.ring.close();
            }
            if (s != null && s.lostKey != 0) {
                lib.unregisterControlLost(s.lostKey);
            }
            cam.close();
            throw e;
        }
    }

    private WireFormat choosePixelFormat(ArvCamera cam) throws CameraException {
        String wanted = options.wirePixelFormat();
        List<WireFormat> candidates = wanted != null
                ? List.of(java.util.Objects.requireNonNull(WireFormat.byName(wanted)))
                : WireFormat.candidatesFor(config.pixelFormat());
        CameraException last = null;
        for (WireFormat w : candidates) {
            try {
                cam.setPixelFormat(w.pfncName());
                if (cam.pixelFormat().equalsIgnoreCase(w.pfncName())) {
                    return w;
                }
            } catch (CameraException e) {
                if (e.code() == CameraException.Code.NOT_CONNECTED) {
                    throw e;
                }
                last = e;
            }
        }
        throw new CameraException(CameraException.Code.BAD_SETTING, "genicam: cameras[" + config.id()
                + "].pixelFormat: the camera accepts none of " + candidates.stream().map(WireFormat::pfncName).toList()
                + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    private void configureTrigger(ArvCamera cam) throws CameraException {
        switch (config.triggerMode()) {
            case SOFTWARE -> cam.setTrigger("Software");
            case HARDWARE -> {
                cam.setTrigger(options.triggerLine());
                String activation = options.triggerActivation();
                if (activation != null) {
                    cam.setString("TriggerActivation", activation);
                }
            }
            case FREE_RUN -> {
                cam.clearTriggers();
                if (options.frameRate() > 0) {
                    cam.setFrameRate(options.frameRate());
                }
            }
        }
    }

    private void applySettings(ArvCamera cam, CameraSettings settings) throws CameraException {
        cam.setExposureUs(settings.exposureUs());
        cam.setGain(settings.gainDb());
        for (Map.Entry<String, String> f : settings.features().entrySet()) {
            cam.setFeature(f.getKey(), f.getValue());
        }
        // what the camera actually took (rounded to its increments), as the frames will report it
        exposureUs = cam.exposureUs();
        gainDb = cam.gain();
    }

    /** Ends a session's thread, then frees its natives; never frees memory a live thread could still touch. */
    private void teardown(Session s) {
        s.exit = true;
        deliveryLock.lock();
        try {
            deliveryChanged.signalAll();
        } finally {
            deliveryLock.unlock();
        }
        Thread acq = s.acq;
        if (acq != null && acq != Thread.currentThread()) {
            try {
                acq.join(JOIN_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (acq.isAlive()) {
                // a sink that blocks forever breaks its contract; leaking the session beats freeing live memory
                LOG.atError().setMessage("acquisition thread did not end; native session leaked")
                        .addKeyValue("camera", config.id()).log();
                return;
            }
        }
        if (s.lostKey != 0) {
            lib.unregisterControlLost(s.lostKey);
        }
        if (s.acquiring && !s.lost.get()) {
            try {
                s.cam.stopAcquisition();
            } catch (CameraException e) {
                LOG.atDebug().setMessage("AcquisitionStop at teardown failed").addKeyValue("camera", config.id())
                        .setCause(e).log();
            }
        }
        ArvStreamRing ring = s.ring;
        if (ring != null) {
            ring.close();
        }
        s.cam.close();
    }

    // --- acquisition thread ---

    private void acquisitionLoop(Session s) {
        try {
            while (!s.exit) {
                if (s.lost.get()) {
                    onLost(s);
                    return;
                }
                if (!awaitRunning(s)) {
                    continue;
                }
                MemorySegment buf = s.ring().pop(POP_TIMEOUT_US);
                if (buf.equals(MemorySegment.NULL)) {
                    continue;
                }
                try {
                    deliver(s, buf);
                } finally {
                    s.ring().push(buf);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.atError().setMessage("acquisition thread failed").addKeyValue("camera", config.id()).setCause(e).log();
            s.lost.set(true);
            onLost(s);
        } finally {
            deliveryLock.lock();
            try {
                acqBusy = false;
                deliveryChanged.signalAll();
            } finally {
                deliveryLock.unlock();
            }
        }
    }

    /** True when frames should be popped now; otherwise parks up to 100 ms and returns false. */
    private boolean awaitRunning(Session s) {
        deliveryLock.lock();
        try {
            if (running && !s.exit) {
                acqBusy = true;
                return true;
            }
            acqBusy = false;
            deliveryChanged.signalAll();
            deliveryChanged.await(100, TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.exit = true;
            return false;
        } finally {
            deliveryLock.unlock();
        }
    }

    private void deliver(Session s, MemorySegment buf) {
        ArvStreamRing ring = s.ring();
        long hostNs = System.nanoTime();
        boolean complete = ring.status(buf) == ArvLib.BUFFER_STATUS_SUCCESS;
        int w = ring.width(buf);
        int h = ring.height(buf);
        if (complete && (w != width || h != height)) {
            LOG.atWarn().setMessage("frame of unexpected size, flagged incomplete").addKeyValue("camera", config.id())
                    .addKeyValue("width", w).addKeyValue("height", h).log();
            complete = false;
        }
        long deviceFrameId = ring.frameId(buf);
        long gap = 0;
        // a gated device skips frames on purpose: its id gaps are not losses
        if (!gate && lastDeviceFrameId >= 0 && deviceFrameId > lastDeviceFrameId + 1
                && deviceFrameId - lastDeviceFrameId < 1_000_000) {
            gap = deviceFrameId - lastDeviceFrameId - 1;
            lostFrames.addAndGet(gap);
        }
        lastDeviceFrameId = deviceFrameId;

        deliveryLock.lock();
        try {
            FrameSink k = sink;
            if (!running || k == null) {
                return;
            }
            if (gate && !triggers.waiting(hostNs)) {
                untriggered.incrementAndGet();
                return;
            }
            TriggerTag tag = config.triggerMode() == TriggerMode.SOFTWARE ? triggers.match(hostNs) : null;
            FramePool.Slot slot = pool.acquire(0);
            if (slot == null) {
                LOG.atWarn().setMessage("no free frame buffer, image dropped").addKeyValue("camera", config.id())
                        .addKeyValue("part", tag == null ? "" : tag.partId()).log();
                return;
            }
            s.wire.convert(ring.data(buf), MemorySegment.ofBuffer(slot.buffer()), (long) width * height);
            frameCounter += 1 + gap;
            builder.cameraId(config.id()).frameId(frameCounter).deviceTimestampNs(ring.timestampNs(buf))
                    .hostTimestampNs(hostNs).exposureUs(exposureUs).gainDb(gainDb)
                    .format(config.pixelFormat(), width, height).tag(tag).complete(complete);
            Frame frame = pool.publish(slot, builder);
            delivered.incrementAndGet();
            if (!complete) {
                incomplete.incrementAndGet();
                LOG.atDebug().setMessage("incomplete frame").addKeyValue("camera", config.id())
                        .addKeyValue("status", ring.status(buf)).log();
            }
            sinkDelivery.frame(k, frame);
        } finally {
            deliveryLock.unlock();
        }
    }

    /**
     * On the acquisition thread, once per loss: tell the sink, then let a reconnect thread take over. A session a
     * reconnect has just opened can be lost before the sink has heard of the recovery (still faulted): then the sink
     * is not told twice, but the loss still goes to the reconnector, which reconnects again once the running
     * reconnection is over. A session already replaced is nobody's concern.
     */
    private void onLost(Session s) {
        FrameSink k;
        deliveryLock.lock();
        try {
            // parked from now on: a stop() or close() waiting for this thread must not wait for the reconnect
            acqBusy = false;
            deliveryChanged.signalAll();
            if (closed) {
                return;
            }
            if (faulted) {
                if (s == session) {
                    reconnector.lost(this::reconnectAttempt);
                }
                return;
            }
            faulted = true;
            k = sink;
        } finally {
            deliveryLock.unlock();
        }
        faults.incrementAndGet();
        CameraException fault = new CameraException(CameraException.Code.NOT_CONNECTED, "genicam: cameras["
                + config.id() + "] (" + info.id() + ", " + info.address() + ") disconnected");
        LOG.atWarn().setMessage("camera lost, reconnecting").addKeyValue("camera", config.id())
                .addKeyValue("device", info.id()).log();
        if (k != null) {
            sinkDelivery.fault(k, fault);
        }
        if (!closed) {
            reconnector.lost(this::reconnectAttempt);
        }
    }

    /**
     * One reconnect attempt, on the reconnect thread: tears down what is left of the old session (the lost one, or
     * one a failed attempt opened), opens a new one and resumes streaming if it ran before the loss.
     */
    private void reconnectAttempt() throws CameraException {
        controlLock.lock();
        try {
            ensureOpen();
            Session old = session;
            if (old != null) {
                session = null;
                teardown(old);
            }
            Session s = openSession(true);
            session = s;
            boolean wasRunning;
            deliveryLock.lock();
            try {
                // the new acquisition thread stays parked until startStreaming has drained the stream
                wasRunning = running || resumeAfterReconnect;
                running = false;
            } finally {
                deliveryLock.unlock();
            }
            // kept until streaming is back: an attempt that fails in startStreaming leaves running false
            resumeAfterReconnect = wasRunning;
            if (wasRunning) {
                startStreaming(s);
            }
            resumeAfterReconnect = false;
        } finally {
            controlLock.unlock();
        }
    }

    /** On the reconnect thread: once the camera is back, the sink hears so. */
    private void onReconnectState(Reconnector.State state, int attempt, @Nullable CameraException error) {
        if (state != Reconnector.State.RECONNECTED) {
            return;
        }
        FrameSink k;
        deliveryLock.lock();
        try {
            faulted = false;
            k = sink;
        } finally {
            deliveryLock.unlock();
        }
        if (k != null) {
            sinkDelivery.recovered(k);
        }
    }
}
