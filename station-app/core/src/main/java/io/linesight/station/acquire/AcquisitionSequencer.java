/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.TriggerMode;
import io.linesight.config.recipe.LightSetting;
import io.linesight.config.recipe.Shot;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightException;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.admission.LoadShedder;
import io.linesight.station.inspect.ActiveRecipe;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.verdict.VerdictGate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each triggered part's shots in recipe order: light channel set, exposure and gain applied when they differ
 * from the camera's last shot, trigger sent (or armed for a hardware line), frame collected and tagged. A part
 * whose light, camera or image fails is rejected right here with the reason, and the next part goes on. A part
 * whose shots use a light controller in fault is rejected before any shot ({@link LightFaults}).
 *
 * <p>One thread ("acquisition") owns the devices' control side; parts wait for it in a bounded queue. A part that
 * finds the queue full is rejected with {@code OVERLOAD} at once (an uninspected part never passes).
 */
public final class AcquisitionSequencer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcquisitionSequencer.class);

    /** A triggered part waiting to be imaged, with the recipe fixed at its trigger. */
    public record Job(VerdictGate.Ticket ticket, ActiveRecipe recipe) {
    }

    private final Devices devices;
    private final LightFaults lightFaults;
    private final BlockingQueue<Job> queue;
    private final BiConsumer<Job, AcquiredPart> next;
    private final Map<String, CameraSettings> applied = new HashMap<>();
    /**
     * Cameras that just failed (no frame, or a control call failed), by the nanoTime of their last attempt. While a
     * camera is suspect, parts are rejected with CAMERA_FAULT at once, except one probe per second that tries for
     * real: a dead GigE camera blocks every control call for seconds, and parts must not queue behind that. The first
     * frame that arrives clears it.
     */
    private final Map<String, Long> suspect = new HashMap<>();
    /**
     * Cameras whose frame did not come before a part's deadline, by the nanoTime of that trigger. That alone does not
     * make a camera suspect: a cold start or a busy machine can make one frame late. It becomes suspect only when it
     * then stays silent for its whole frame timeout; any frame it delivers (late ones too) clears it.
     */
    private final Map<String, Long> overdue = new HashMap<>();
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final Thread thread;
    private final LoadShedder shedder;
    private final IntSupplier inspectionPending;
    private volatile boolean running = true;
    /** Whether the acquisition thread is imaging a part now (for the parts ahead of a new one). */
    private volatile boolean acquiring;
    /** When the acquisition thread last came round its loop (System.nanoTime). */
    private volatile long beat = System.nanoTime();

    /**
     * @param shedder           admits parts by capacity at their trigger (the rest: OVERLOAD before any work is spent)
     * @param inspectionPending parts waiting for or in inspection, for the shedder's estimate
     */
    public AcquisitionSequencer(Devices devices, int capacity, BiConsumer<Job, AcquiredPart> next, LoadShedder shedder,
                                IntSupplier inspectionPending) {
        this.devices = devices;
        this.lightFaults = new LightFaults(devices);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.next = next;
        this.shedder = shedder;
        this.inspectionPending = inspectionPending;
        this.thread = Thread.ofPlatform().name("acquisition").daemon(true).unstarted(this::loop);
        this.thread.setUncaughtExceptionHandler((t, e) -> log.atError().setMessage("acquisition thread died")
                .setCause(e).log());
        this.thread.setPriority(Thread.MAX_PRIORITY);
        this.thread.start();
    }

    /**
     * Queues a part; never blocks. Admission by capacity first: a part the station could not decide in time is not
     * taken, but rejected OVERLOAD at once on the calling (trigger) thread, never imaged.
     */
    public void submit(Job job) {
        String shed = running ? shedder.admit(System.nanoTime(), job.ticket().decideByNanos(),
                pending() + inspectionPending.getAsInt()) : null;
        if (shed != null) {
            job.ticket().reject(ReasonCode.OVERLOAD, "admission", shed);
            job.recipe().release();
            return;
        }
        if (!running) {
            job.ticket().reject(ReasonCode.STATION_STOPPED, "acquisition", "station stopping");
            job.recipe().release();
        } else if (!queue.offer(job)) {
            job.ticket().reject(ReasonCode.OVERLOAD, "admission", shedder.queueFull(queue.size()));
            job.recipe().release();
        }
    }

    public int queued() {
        return queue.size();
    }

    /** Parts waiting for acquisition or being imaged now. */
    public int pending() {
        return queue.size() + (acquiring ? 1 : 0);
    }

    /**
     * Why acquisition is not alive and moving, or null when it is: its thread ended while the station runs, or it has
     * not come round its loop for {@code stallNanos} (stuck on one part's camera or light). Any thread.
     */
    public @Nullable String stalled(long nowNanos, long stallNanos) {
        if (!running) {
            return null;
        }
        if (!thread.isAlive()) {
            return "the acquisition thread has ended";
        }
        long silent = nowNanos - beat;
        return silent > stallNanos ? "acquisition stuck on one part for " + TimeUnit.NANOSECONDS.toSeconds(silent) + " s"
                : null;
    }

    private void loop() {
        while (running) {
            beat = System.nanoTime();
            Job job;
            try {
                job = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (job == null) {
                continue;
            }
            boolean handedOver = false;
            try {
                if (job.ticket().isDecided()) {
                    continue; // a part already answered for (TIMEOUT, stop) costs nothing more
                }
                acquiring = true;
                handedOver = acquire(job);
            } catch (Throwable t) {
                log.atError().setMessage("acquisition failed").addKeyValue("partId", job.ticket().part().partId()).setCause(t).log();
                job.ticket().reject(ReasonCode.STATION_ERROR, "acquisition", t.toString());
            } finally {
                acquiring = false;
                if (!handedOver) {
                    job.recipe().release(); // inspection owns the reference once the part is handed over
                }
            }
        }
    }

    /** Images the part and hands it to inspection; returns whether it was handed over. */
    private boolean acquire(Job job) {
        VerdictGate.Ticket ticket = job.ticket();
        String partId = ticket.part().partId();
        List<ShotFrame> frames = new ArrayList<>(job.recipe().recipe().shots().size());
        ticket.stage("acquiring");
        long start = System.nanoTime();
        long cpuStart = io.linesight.station.timing.StageTimes.threadCpuNanos();
        LightFaults.Found lightFault = lightFaults.first(job.recipe().recipe().shots());
        if (lightFault != null) {
            ticket.reject(ReasonCode.LIGHT_FAULT, lightFault.controller(), lightFault.reason());
            return false; // not imaged without its light
        }
        boolean handedOver = false;
        try {
            boolean first = true;
            for (Shot shot : job.recipe().recipe().shots()) {
                if (ticket.isDecided()) {
                    return false; // the watchdog already answered for this part: stop spending camera time on it
                }
                Frame frame = takeShot(ticket, partId, shot, first);
                first = false;
                if (frame == null) {
                    return false;
                }
                frames.add(new ShotFrame(shot.name(), shot.camera(), frame));
                if (!frame.complete()) {
                    ticket.reject(ReasonCode.IMAGE_INCOMPLETE, shot.camera(), "frame " + frame.frameId() + " of shot " + shot.name()
                            + (frame.incompleteReason() == null ? " lost packets" : ": " + frame.incompleteReason()));
                    return false;
                }
            }
            long now = System.nanoTime();
            shedder.acquired(now - start, io.linesight.station.timing.StageTimes.threadCpuNanos() - cpuStart);
            long acquireNanos = now - ticket.part().triggeredNanos();
            next.accept(job, new AcquiredPart(ticket.part(), job.recipe().recipe(), frames, acquireNanos));
            handedOver = true;
            return true;
        } finally {
            if (!handedOver) {
                frames.forEach(f -> f.frame().close());
            }
        }
    }

    /**
     * One shot; null when the part was rejected (the reason is already sent). Before the first shot's device calls,
     * the safety net behind admission sheds a part that could no longer be decided in time (OVERLOAD); a known device
     * fault is named first.
     */
    private @Nullable Frame takeShot(VerdictGate.Ticket ticket, String partId, Shot shot, boolean first) {
        Camera camera = devices.camera(shot.camera());
        FrameCollector collector = devices.collector(shot.camera());
        CameraException fault = collector.fault();
        if (fault != null) {
            ticket.reject(ReasonCode.CAMERA_FAULT, shot.camera(), String.valueOf(fault.getMessage()));
            return null;
        }
        Long overdueSince = overdue.get(shot.camera());
        if (overdueSince != null) {
            long frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(devices.cameraConfig(shot.camera()).frameTimeoutMs());
            long now = System.nanoTime();
            if (collector.deliveredSince(overdueSince)) {
                overdue.remove(shot.camera()); // it delivered since: it was only slow
            } else if (now - overdueSince >= frameTimeoutNanos) {
                overdue.remove(shot.camera());
                suspect.put(shot.camera(), now);
            } else {
                // The driver still pairs that trigger with the next frame until the frame timeout: a trigger now
                // would have its frame taken for the overdue one, and every later part would get its predecessor's
                // frame (or none). Not triggered until the overdue frame comes or its timeout has passed: the camera
                // cannot keep up with the parts (or missed a trigger), so the part is not taken, as under overload.
                ticket.reject(ReasonCode.OVERLOAD, "acquisition", shedder.cameraOwesFrame(shot.camera(),
                        now - overdueSince, devices.cameraConfig(shot.camera()).frameTimeoutMs()));
                return null;
            }
        }
        Long failedAt = suspect.get(shot.camera());
        if (failedAt != null && System.nanoTime() - failedAt < PROBE_INTERVAL_NANOS) {
            ticket.reject(ReasonCode.CAMERA_FAULT, shot.camera(), "camera " + shot.camera() + " is not delivering frames");
            return null;
        }
        if (first) {
            String shed = shedder.beforeAcquisition(System.nanoTime(), ticket.decideByNanos(), inspectionPending.getAsInt());
            if (shed != null) {
                ticket.reject(ReasonCode.OVERLOAD, "acquisition", shed);
                return null;
            }
        }
        LightSetting light = shot.light();
        if (light != null) {
            LightController controller = devices.light(light.controller());
            try {
                controller.apply(light.channel(), light);
            } catch (LightException e) {
                ticket.reject(ReasonCode.LIGHT_FAULT, light.controller(), String.valueOf(e.getMessage()));
                return null;
            }
        }
        CameraSettings settings = CameraSettings.of(shot.exposureUs(), shot.gainDb());
        TriggerTag tag = new TriggerTag(partId, shot.name());
        CompletableFuture<Frame> pending = null;
        boolean boundedByDeadline = false;
        long triggeredNanos = System.nanoTime();
        try {
            if (!settings.equals(applied.get(shot.camera()))) {
                camera.configure(settings);
                applied.put(shot.camera(), settings);
            }
            if (camera.triggerMode() == TriggerMode.SOFTWARE) {
                pending = collector.expect(tag);
                triggeredNanos = System.nanoTime();
                camera.trigger(tag);
            } else {
                pending = collector.expectNext();
            }
            long frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(devices.cameraConfig(shot.camera()).frameTimeoutMs());
            long remainingNanos = Math.max(0, ticket.part().remainingNanos());
            boundedByDeadline = remainingNanos < frameTimeoutNanos;
            Frame frame = pending.get(Math.max(1, Math.min(frameTimeoutNanos, remainingNanos)), TimeUnit.NANOSECONDS);
            suspect.remove(shot.camera());
            overdue.remove(shot.camera());
            return frame;
        } catch (CameraException e) {
            applied.remove(shot.camera());
            suspect.put(shot.camera(), System.nanoTime());
            abandon(collector, tag, pending);
            ticket.reject(ReasonCode.CAMERA_FAULT, shot.camera(), String.valueOf(e.getMessage()));
        } catch (TimeoutException e) {
            abandon(collector, tag, pending);
            if (!boundedByDeadline) {
                suspect.put(shot.camera(), System.nanoTime());
                ticket.reject(ReasonCode.CAMERA_FAULT, shot.camera(), "no frame for shot " + shot.name() + " within "
                        + devices.cameraConfig(shot.camera()).frameTimeoutMs() + " ms");
            } else {
                // the part's deadline ran out first: the watchdog's TIMEOUT is the true reason, leave it to it; the
                // camera is only overdue until its frame timeout has passed without a frame
                overdue.putIfAbsent(shot.camera(), triggeredNanos);
            }
        } catch (ExecutionException e) {
            abandon(collector, tag, pending);
            ticket.reject(ReasonCode.CAMERA_FAULT, shot.camera(), String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(collector, tag, pending);
            ticket.reject(ReasonCode.STATION_STOPPED, "acquisition", "interrupted");
        }
        return null;
    }

    private static void abandon(FrameCollector collector, TriggerTag tag, @Nullable CompletableFuture<Frame> pending) {
        if (pending != null) {
            collector.abandon(tag, pending);
        }
    }

    /** Stops taking parts; parts still queued are rejected with STATION_STOPPED. */
    @Override
    public void close() {
        running = false;
        Job j;
        while ((j = queue.poll()) != null) {
            j.ticket().reject(ReasonCode.STATION_STOPPED, "acquisition", "station stopping");
            j.recipe().release();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
