/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraBeginAcquisition;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraDeInit;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraEndAcquisition;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraGetNodeMap;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraInit;
import static org.bytedeco.spinnaker.global.Spinnaker_C.spinCameraRelease;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraSettings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.spinnaker.Spinnaker_C.spinCamera;
import org.bytedeco.spinnaker.Spinnaker_C.spinNodeMapHandle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A FLIR camera through the Spinnaker C API. Same threading as the GenICam driver: control calls serialised by
 * {@code controlLock}; an acquisition thread ({@code spinnaker-acq-<id>}, {@link AcquisitionLoop}) that waits for
 * images with a 100 ms timeout ({@link SdkImageSource}), checks each against the configuration and copies (or has
 * the SDK convert, for packed formats) it into the frame pool ({@link FrameDelivery}) and releases the SDK image; on
 * a lost device one {@code onFault}, then a {@link Reconnector} ({@code spinnaker-reconnect-<id>}) with capped backoff
 * that re-applies the configuration and the last settings. The pieces all drivers share come from camera-api:
 * {@link SinkDelivery} (a sink that throws is contained), {@link TriggerPacer} (option {@code minTriggerIntervalMs})
 * and {@link TriggerMatcher} (a trigger without a frame within the frame timeout is given up).
 *
 * <p>Not exercised here: the SDK cannot be installed on the build machines (see the README).
 */
final class SpinnakerCamera implements Camera {
    private static final Logger LOG = LoggerFactory.getLogger(SpinnakerCamera.class);

    private final SpinnakerSystem system;
    private final CameraConfig config;
    private final SpinnakerOptions options;
    private final CameraInfo info;
    private final FramePool pool;
    private final ReentrantLock controlLock = new ReentrantLock();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final FrameDelivery delivery;
    private final SinkDelivery sinks;
    private final TriggerMatcher triggers;
    private final TriggerPacer pacer;
    private final Reconnector reconnector;

    private volatile boolean closed;
    private volatile boolean running;
    private volatile boolean faulted;
    private volatile @Nullable FrameSink sink;
    private volatile double exposureUs;
    private volatile double gainDb;
    private @Nullable CameraSettings lastSettings;
    private @Nullable spinCamera cam;
    private @Nullable SpinNodes nodes;
    private SpinnakerMapping.@Nullable WirePixelFormat wire;
    private @Nullable Thread acq;
    /** Streaming ran when the camera was lost and a reconnect has not restarted it yet; guarded by controlLock. */
    private boolean resumeAfterReconnect;

    private SpinnakerCamera(SpinnakerSystem system, CameraConfig config, SpinnakerOptions options, CameraInfo info) {
        this.system = system;
        this.config = config;
        this.options = options;
        this.info = info;
        this.pool = new FramePool(options.poolSize(),
                config.width() * config.height() * config.pixelFormat().bytesPerPixel());
        this.sinks = new SinkDelivery(config.id());
        this.delivery = new FrameDelivery(config, expectedImage(SpinnakerMapping.pixelFormats(config.pixelFormat()).getFirst()), pool,
                sinks);
        this.triggers = new TriggerMatcher(config.id(), TimeUnit.MILLISECONDS.toNanos(config.frameTimeoutMs()), 256);
        this.pacer = new TriggerPacer(config.id(), TimeUnit.MILLISECONDS.toNanos(options.minTriggerIntervalMs()),
                System::nanoTime,
                Pause.until(closedLatch));
        this.reconnector = new Reconnector(config.id(), "spinnaker-reconnect-" + config.id(),
                new Backoff(200, options.reconnectMaxBackoffMs(), Backoff.DEFAULT_JITTER), this::onReconnectState);
    }

    /** What images look like after any conversion: the wire format itself, or Mono16 from the SDK's converter. */
    private ImageCheck expectedImage(SpinnakerMapping.WirePixelFormat w) {
        return new ImageCheck(config, w.convert() ? "Mono16" : w.symbol());
    }

    static SpinnakerCamera open(SpinnakerSystem system, CameraConfig config, SpinnakerOptions options)
            throws CameraException {
        List<CameraInfo> seen = new ArrayList<>();
        spinCamera handle = system.find(config.device(), seen);
        if (handle == null) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, "spinnaker: cameras[" + config.id()
                    + "].device '" + config.device() + "' not found; found: " + seen.stream().map(CameraInfo::id).toList());
        }
        CameraInfo info = seen.getLast();
        SpinnakerCamera c = new SpinnakerCamera(system, config, options, info);
        c.controlLock.lock();
        try {
            c.connect(handle);
        } finally {
            c.controlLock.unlock();
        }
        return c;
    }

    /** Init the device and apply pixel format, region, trigger, strobe and the last settings. */
    private void connect(spinCamera handle) throws CameraException {
        try {
            SpinNodes.check(spinCameraInit(handle).value, config.id(), "spinCameraInit");
        } catch (CameraException | RuntimeException e) {
            spinCameraRelease(handle);
            throw e;
        }
        try {
            configure(handle);
        } catch (CameraException | RuntimeException e) {
            // a refused setting leaves an initialised handle: give it back, or every failed open or reconnect attempt
            // would keep one (and the device) held
            spinCameraDeInit(handle);
            spinCameraRelease(handle);
            throw e;
        }
    }

    private void configure(spinCamera handle) throws CameraException {
        spinNodeMapHandle map = new spinNodeMapHandle();
        SpinNodes.check(spinCameraGetNodeMap(handle, map).value, config.id(), "spinCameraGetNodeMap");
        SpinNodes n = new SpinNodes(map, config.id());
        SpinnakerMapping.WirePixelFormat chosen = choosePixelFormat(n);
        wire = chosen;
        delivery.expect(expectedImage(chosen));
        for (NodeWrite w : SpinnakerMapping.openPlan(config, options)) {
            n.apply(w);
        }
        CameraSettings s = lastSettings;
        if (s != null) {
            for (NodeWrite w : SpinnakerMapping.settingsPlan(s)) {
                n.apply(w);
            }
        }
        exposureUs = n.readFloat("ExposureTime");
        gainDb = n.readFloat("Gain");
        cam = handle;
        nodes = n;
    }

    private SpinnakerMapping.WirePixelFormat choosePixelFormat(SpinNodes n) throws CameraException {
        List<SpinnakerMapping.WirePixelFormat> candidates = SpinnakerMapping.pixelFormats(config.pixelFormat());
        for (SpinnakerMapping.WirePixelFormat w : candidates) {
            try {
                n.apply(NodeWrite.enumeration("PixelFormat", w.symbol()));
                return w;
            } catch (CameraException e) {
                if (e.code() == CameraException.Code.NOT_CONNECTED) {
                    throw e;
                }
            }
        }
        throw new CameraException(CameraException.Code.BAD_SETTING, "spinnaker: cameras[" + config.id()
                + "].pixelFormat: the camera accepts none of " + candidates.stream().map(c -> c.symbol()).toList());
    }

    private SpinNodes live() throws CameraException {
        if (closed) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, "spinnaker: cameras[" + config.id() + "] is closed");
        }
        SpinNodes n = nodes;
        if (n == null || faulted) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED,
                    "spinnaker: cameras[" + config.id() + "] is disconnected; reconnecting");
        }
        return n;
    }

    @Override
    public CameraInfo info() {
        return info;
    }

    @Override
    public TriggerMode triggerMode() {
        return config.triggerMode();
    }

    @Override
    public void configure(CameraSettings settings) throws CameraException {
        controlLock.lock();
        try {
            lastSettings = settings;
            SpinNodes n = live();
            for (NodeWrite w : SpinnakerMapping.settingsPlan(settings)) {
                n.apply(w);
            }
            exposureUs = n.readFloat("ExposureTime");
            gainDb = n.readFloat("Gain");
        } finally {
            controlLock.unlock();
        }
    }

    @Override
    public void start(FrameSink frameSink) throws CameraException {
        controlLock.lock();
        try {
            live();
            sink = frameSink;
            if (running) {
                return;
            }
            triggers.clear();
            SpinNodes.check(spinCameraBeginAcquisition(cam).value, config.id(), "BeginAcquisition");
            running = true;
            Thread t = Thread.ofPlatform().name("spinnaker-acq-" + config.id()).daemon().unstarted(this::acquire);
            acq = t;
            t.start();
        } finally {
            controlLock.unlock();
        }
    }

    @Override
    public void trigger(TriggerTag tag) throws CameraException {
        controlLock.lock();
        try {
            SpinNodes n = live();
            if (config.triggerMode() != TriggerMode.SOFTWARE || !running) {
                throw new CameraException(CameraException.Code.DEVICE_ERROR, "spinnaker: cameras[" + config.id()
                        + "]: trigger() needs software trigger mode and a started camera");
            }
            pacer.awaitSlot();
            TriggerMatcher.Pending p = triggers.sent(tag, System.nanoTime());
            try {
                n.apply(SpinnakerMapping.softwareTrigger());
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
            stopAcquisition();
        } finally {
            controlLock.unlock();
        }
    }

    private void stopAcquisition() {
        resumeAfterReconnect = false;
        if (!running) {
            return;
        }
        running = false;
        joinAcquisition();
        spinCamera c = cam;
        if (c != null && !faulted) {
            spinCameraEndAcquisition(c);
        }
        triggers.clear();
    }

    private void joinAcquisition() {
        Thread t = acq;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        acq = null;
    }

    @Override
    public void close() {
        closed = true;
        closedLatch.countDown();
        controlLock.lock();
        try {
            stopAcquisition();
            release();
        } finally {
            controlLock.unlock();
        }
        // outside controlLock: a reconnect attempt takes it
        reconnector.close();
    }

    private void release() {
        spinCamera c = cam;
        cam = null;
        nodes = null;
        if (c != null) {
            spinCameraDeInit(c);
            spinCameraRelease(c);
        }
    }

    // --- acquisition thread ---

    private void acquire() {
        spinCamera c = cam;
        SpinnakerMapping.WirePixelFormat w = wire;
        if (c == null) {
            return;
        }
        ImageSource images = new SdkImageSource(config.id(), c, w != null && w.convert());
        new AcquisitionLoop(config.id(), images, () -> running && !closed && cam == c, this::deliver, this::onLost).run();
    }

    private void deliver(GrabbedImage image) {
        FrameSink k = sink;
        if (k == null || !running) {
            return;
        }
        TriggerTag tag = config.triggerMode() == TriggerMode.SOFTWARE ? triggers.match(System.nanoTime()) : null;
        delivery.deliver(image, tag, k, exposureUs, gainDb);
    }

    private void onLost(CameraException fault) {
        if (faulted || closed) {
            return;
        }
        faulted = true;
        FrameSink k = sink;
        LOG.atWarn().setMessage("camera lost, reconnecting").addKeyValue("camera", config.id()).log();
        if (k != null) {
            sinks.fault(k, fault);
        }
        reconnector.lost(this::reconnectAttempt);
    }

    /** One reconnect attempt, on the reconnect thread: find the camera by serial, re-init it, resume streaming. */
    private void reconnectAttempt() throws CameraException {
        controlLock.lock();
        try {
            if (closed) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED,
                        "spinnaker: cameras[" + config.id() + "] is closed");
            }
            // kept across failed attempts: a failed start leaves running false
            resumeAfterReconnect |= running;
            running = false;
            joinAcquisition();
            release();
            spinCamera handle = system.find(info.serial(), new ArrayList<>());
            if (handle == null) {
                throw new CameraException(CameraException.Code.NOT_CONNECTED,
                        "spinnaker: " + info.serial() + " not found");
            }
            connect(handle);
            faulted = false;
            FrameSink k = sink;
            if (resumeAfterReconnect && k != null) {
                start(k);
            }
            resumeAfterReconnect = false;
        } finally {
            controlLock.unlock();
        }
    }

    /** On the reconnect thread: once the camera is back, the sink hears so. */
    private void onReconnectState(Reconnector.State state, int attempt, @Nullable CameraException error) {
        FrameSink k = sink;
        if (state == Reconnector.State.RECONNECTED && k != null) {
            sinks.recovered(k);
        }
    }
}
