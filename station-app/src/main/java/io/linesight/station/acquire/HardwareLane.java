/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Shot;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.inspect.ActiveRecipe;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.Part;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.verdict.VerdictGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parts started by the camera's hardware line (trigger source {@code hardware}): the PLC or a photo-eye fires the
 * cameras, and each frame of the recipe's first shot is a new part. The part's id is the next one the PLC announced
 * on {@code cmd/trigger}, or else {@code H<counter>} (the counter starts at 1 and follows the line's triggers, so it
 * stays aligned with a PLC that counts the same edges). Its deadline counts from the frame's arrival. The other shots
 * are the frames the same line edge fired on the other cameras; a missing one rejects the part with CAMERA_FAULT.
 *
 * <p>One thread ("hardware-lane"). Exposure and gain are set once per recipe, from each camera's first shot: with a
 * hardware trigger there is no moment between shots to change them.
 */
public final class HardwareLane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HardwareLane.class);

    private final Devices devices;
    private final Supplier<ActiveRecipe> recipe;
    private final Function<Part, VerdictGate.Ticket> open;
    private final BiConsumer<AcquisitionSequencer.Job, AcquiredPart> next;
    private final long deadlineNanos;
    private final java.util.function.BooleanSupplier lineStopped;
    private final Queue<String> announcedIds = new ConcurrentLinkedQueue<>();
    private final AtomicLong counter = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private ActiveRecipe configuredFor;

    public HardwareLane(Devices devices, Supplier<ActiveRecipe> recipe, Function<Part, VerdictGate.Ticket> open,
                        BiConsumer<AcquisitionSequencer.Job, AcquiredPart> next, long deadlineMs,
                        java.util.function.BooleanSupplier lineStopped) {
        this.lineStopped = lineStopped;
        this.devices = devices;
        this.recipe = recipe;
        this.open = open;
        this.next = next;
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        this.thread = Thread.ofPlatform().name("hardware-lane").daemon(true).unstarted(this::loop);
        this.thread.setPriority(Thread.MAX_PRIORITY);
        this.thread.start();
    }

    /** The PLC named the next part (cmd/trigger in hardware mode): the next line edge gets this id. */
    public void announce(String partId) {
        announcedIds.add(partId);
    }

    private void loop() {
        while (running) {
            ActiveRecipe active = recipe.get();
            Shot first = active.recipe().shots().getFirst();
            try {
                if (active != configuredFor) {
                    configure(active);
                }
                CompletableFuture<Frame> arrival = devices.collector(first.camera()).expectNext();
                Frame frame;
                try {
                    frame = arrival.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    devices.collector(first.camera()).abandon(null, arrival);
                    continue; // no part on the line: nothing to do
                }
                startPart(active, frame);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | CameraException | RuntimeException e) {
                log.atWarn().setMessage("hardware lane: camera not ready").addKeyValue("camera", first.camera())
                        .addKeyValue("error", String.valueOf(e.getMessage())).log();
                configuredFor = null;
                sleepQuietly();
            }
        }
    }

    private void configure(ActiveRecipe active) throws CameraException {
        List<String> done = new ArrayList<>();
        for (Shot s : active.recipe().shots()) {
            if (!done.contains(s.camera())) {
                devices.camera(s.camera()).configure(CameraSettings.of(s.exposureUs(), s.gainDb()));
                done.add(s.camera());
            }
        }
        configuredFor = active;
    }

    private void startPart(ActiveRecipe active, Frame firstFrame) throws InterruptedException {
        long triggered = firstFrame.hostTimestampNs();
        String announced = announcedIds.poll();
        String partId = announced != null ? announced : String.format("H%06d", counter.incrementAndGet());
        VerdictGate.Ticket ticket = open.apply(new Part(partId, triggered, Instant.now(), triggered + deadlineNanos));
        ticket.stage("acquiring");
        List<Shot> shots = active.recipe().shots();
        List<ShotFrame> frames = new ArrayList<>(shots.size());
        frames.add(new ShotFrame(shots.getFirst().name(), shots.getFirst().camera(), firstFrame));
        boolean handedOver = false;
        try {
            if (lineStopped.getAsBoolean()) {
                ticket.reject(ReasonCode.STATION_STOPPED, "station", "line stopped by command");
                return;
            }
            if (!firstFrame.complete()) {
                ticket.reject(ReasonCode.IMAGE_INCOMPLETE, shots.getFirst().camera(), "frame " + firstFrame.frameId() + " lost packets");
                return;
            }
            for (Shot shot : shots.subList(1, shots.size())) {
                FrameCollector collector = devices.collector(shot.camera());
                CompletableFuture<Frame> f = collector.expectNext();
                try {
                    long wait = Math.max(1, Math.min(ticket.part().remainingNanos(),
                            TimeUnit.MILLISECONDS.toNanos(devices.cameraConfig(shot.camera()).frameTimeoutMs())));
                    Frame frame = f.get(wait, TimeUnit.NANOSECONDS);
                    frames.add(new ShotFrame(shot.name(), shot.camera(), frame));
                    if (!frame.complete()) {
                        ticket.reject(ReasonCode.IMAGE_INCOMPLETE, shot.camera(), "frame " + frame.frameId() + " lost packets");
                        return;
                    }
                } catch (TimeoutException | ExecutionException e) {
                    collector.abandon(null, f);
                    ticket.reject(ReasonCode.CAMERA_FAULT, shot.camera(), "no frame for shot " + shot.name()
                            + " from the same line trigger");
                    return;
                }
            }
            next.accept(new AcquisitionSequencer.Job(ticket, active),
                    new AcquiredPart(ticket.part(), active.recipe(), frames, System.nanoTime() - triggered));
            handedOver = true;
        } finally {
            if (!handedOver) {
                frames.forEach(sf -> sf.frame().close());
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
