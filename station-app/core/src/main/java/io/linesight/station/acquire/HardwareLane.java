/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.LightSetting;
import io.linesight.config.recipe.Shot;
import io.linesight.config.station.TriggerConfig;
import io.linesight.lighting.api.LightException;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.inspect.ActiveRecipe;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.Part;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.verdict.VerdictGate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parts started by the cameras' hardware line (trigger source {@code hardware}): the PLC or a photo-eye fires the
 * cameras; every camera of the recipe delivers one frame per line edge.
 *
 * <p><b>Part ids from the PLC</b> ({@code trigger.partIds: plc}): the PLC announces each part on {@code cmd/trigger}
 * with the time it fired the line. The part's ticket and deadline open at the announcement (the deadline counts from
 * the trigger time), and a {@link TriggerMatcher} pairs frames with announcements by trigger time. A trigger the
 * camera never saw is a REJECT {@code IMAGE_MISSING} of that part, and the next part keeps its own frame; a frame no
 * announcement claims is dropped and counted ({@link #unannouncedFrames()}), never judged under a guessed id.
 *
 * <p><b>Part ids from a counter</b> ({@code trigger.partIds: counter}): each frame of the first shot's camera is a
 * part {@code H<counter>} with its deadline from the frame's trigger time; the other cameras' frames are paired by
 * time the same way.
 *
 * <p>One thread ("hardware-lane") owns the matching; announcements come from the MQTT thread through a bounded
 * queue, frames from the cameras' threads through another. One shot per camera: a line edge cannot change exposure
 * between two shots, so recipes with two shots on one camera are refused for this source (check-recipe says so).
 */
public final class HardwareLane implements AutoCloseable {
    static final long LIGHT_RETRY_NANOS = 500_000_000L;
    private static final Logger log = LoggerFactory.getLogger(HardwareLane.class);
    private static final int QUEUE = 1024;
    /** The longest time between a part's firing and its announcement taken as it came (see nanosSinceFired). */
    private static final java.time.Duration LONGEST_SINCE_FIRED = java.time.Duration.ofDays(1);
    private static final long CLOCK_WARNING_EVERY = java.time.Duration.ofMinutes(1).toNanos();

    /** When the last warning of a PLC clock ahead of ours was logged (announce's caller thread; a race only logs twice). */
    private volatile long lastClockWarning = System.nanoTime() - CLOCK_WARNING_EVERY - 1;

    private record Announced(VerdictGate.Ticket ticket, ActiveRecipe recipe, long edgeNanos) {
    }

    private final Devices devices;
    private final Supplier<ActiveRecipe> recipe;
    private final BiFunction<Part, ActiveRecipe, VerdictGate.Ticket> open;
    private final BooleanSupplier acceptingParts;
    private final AtomicLong refused = new AtomicLong();
    private final BiConsumer<AcquisitionSequencer.Job, AcquiredPart> next;
    private final long deadlineNanos;
    private final BooleanSupplier lineStopped;
    private final TriggerConfig trigger;
    private final BlockingQueue<Announced> announcements = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, CameraClock> clocks = new java.util.HashMap<>();
    private final LightFaults lightFaults;
    private final AtomicLong unannounced = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private @Nullable ActiveRecipe configuredFor;
    /** The recipe whose light settings the controllers took; until then its parts are LIGHT_FAULT. */
    private volatile @Nullable ActiveRecipe lightsFor;
    /** Why the running recipe's lights are not applied (the last attempt's refusal), or null. */
    private volatile LightFaults.@Nullable Found lightsNotApplied;
    private long lightsRetryAt = System.nanoTime();
    private @Nullable TriggerMatcher<Announced, Frame> matcher;
    private List<String> matcherCameras = List.of();

    /**
     * @param open           opens a part's ticket, naming the recipe the part is inspected with (the one given)
     * @param acceptingParts false while the station takes no new parts (its verdicts are not getting out): with
     *                       {@code partIds: counter} the lane then numbers no part and drops the frame, counted in
     *                       {@link #refusedParts()} (with ids from the PLC, the announcement is refused before it
     *                       reaches the lane)
     */
    public HardwareLane(Devices devices, Supplier<ActiveRecipe> recipe,
                        BiFunction<Part, ActiveRecipe, VerdictGate.Ticket> open,
                        BiConsumer<AcquisitionSequencer.Job, AcquiredPart> next, long deadlineMs, BooleanSupplier lineStopped,
                        TriggerConfig trigger, BooleanSupplier acceptingParts) {
        this.acceptingParts = acceptingParts;
        this.lineStopped = lineStopped;
        this.devices = devices;
        this.recipe = recipe;
        this.open = open;
        this.next = next;
        this.trigger = trigger;
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        this.lightFaults = new LightFaults(devices);
        devices.routeUntaggedFrames(frames);
        this.thread = Thread.ofPlatform().name("hardware-lane").daemon(true).unstarted(this::loop);
        this.thread.setPriority(Thread.MAX_PRIORITY);
        this.thread.start();
    }

    /**
     * The PLC announced a part (cmd/trigger in hardware mode). Opens its ticket now; the frames are paired with it on
     * the lane's thread. Returns null, or why the announcement is refused (the part then has no ticket).
     *
     * @param firedAt when the PLC fired the line for it; null to take the time the announcement arrived
     */
    public @Nullable String announce(String partId, @Nullable Instant firedAt) {
        if (trigger.partIds() == TriggerConfig.PartIds.COUNTER) {
            return "this station numbers its parts itself (trigger.partIds: counter); announcements are not taken";
        }
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        long edge = firedAt == null ? now : now - nanosSinceFired(firedAt, wallNow);
        if (firedAt != null && firedAt.isAfter(wallNow) && now - lastClockWarning > CLOCK_WARNING_EVERY) {
            // the deadline is safe (it counts from now), but the PLC's clock is wrong and commissioning should hear it
            lastClockWarning = now;
            log.atWarn().setMessage("a part's firing time lies ahead of the station's clock; its deadline counts from "
                    + "the announcement (check the PLC's clock and that it sends UTC)").addKeyValue("part", partId)
                    .addKeyValue("aheadMs", java.time.Duration.between(wallNow, firedAt).toMillis()).log();
        }
        // one recipe for the part: the ticket names the recipe it is inspected with, even across a change-over
        ActiveRecipe active = retained();
        VerdictGate.Ticket ticket = openWith(new Part(partId, edge, firedAt == null ? wallNow : firedAt,
                edge + deadlineNanos), active);
        ticket.stage("waiting for its frames");
        if (lineStopped.getAsBoolean()) {
            ticket.reject(ReasonCode.STATION_STOPPED, "station", "line stopped by command");
            active.release();
        } else if (!announcements.offer(new Announced(ticket, active, edge))) {
            ticket.reject(ReasonCode.QUEUE_FULL, "hardware-lane", QUEUE + " announced parts are already waiting for frames");
            active.release();
        }
        return null;
    }

    /**
     * How long before its announcement the PLC fired the part, by the PLC's clock. Never negative: a part is fired
     * before it is announced, so a firing time ahead of the station's clock (a PLC clock running ahead, local time sent
     * as UTC) counts from the announcement; taken as it came, it would move the part's deadline, and its TIMEOUT, past
     * the moment the part reaches the gate. At most a day, which is past any deadline and keeps the nanoseconds in range.
     */
    static long nanosSinceFired(Instant firedAt, Instant wallNow) {
        java.time.Duration since = java.time.Duration.between(firedAt, wallNow);
        if (since.isNegative()) {
            return 0;
        }
        return since.compareTo(LONGEST_SINCE_FIRED) > 0 ? LONGEST_SINCE_FIRED.toNanos() : since.toNanos();
    }

    private VerdictGate.Ticket openWith(Part part, ActiveRecipe active) {
        try {
            return open.apply(part, active);
        } catch (RuntimeException | Error e) {
            active.release();
            throw e;
        }
    }

    /** Parts a counter would have numbered while the station took no parts (their frames dropped). */
    public long refusedParts() {
        return refused.get();
    }

    /** The active recipe with a reference taken for one part (a changeover may swap it meanwhile: try again). */
    private ActiveRecipe retained() {
        while (true) {
            ActiveRecipe r = recipe.get();
            if (r.retain()) {
                return r;
            }
            Thread.onSpinWait();
        }
    }

    /** Frames no announced part claimed (dropped, never judged). */
    public long unannouncedFrames() {
        return unannounced.get();
    }

    /** Announced parts that got no frame (rejected IMAGE_MISSING). */
    public long missingFrames() {
        return missing.get();
    }

    private void loop() {
        while (running) {
            try {
                ActiveRecipe active = recipe.get();
                if (active != configuredFor) {
                    configure(active);
                }
                if (active != lightsFor && System.nanoTime() - lightsRetryAt >= 0) {
                    applyLights(active);
                }
                Frame f = frames.poll(5, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                Announced a;
                while ((a = announcements.poll()) != null) {
                    if (a.ticket().isDecided()) {
                        a.recipe().release();
                        continue;
                    }
                    matcher(a.recipe()).announce(a, a.edgeNanos(), now);
                }
                if (f != null) {
                    onFrame(f, now);
                }
                TriggerMatcher<Announced, Frame> m = matcher;
                if (m != null) {
                    m.tick(now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (CameraException e) {
                log.atWarn().setMessage("hardware lane: camera not ready").addKeyValue("error", e.getMessage()).log();
                configuredFor = null;
                sleepQuietly();
            } catch (Throwable t) {
                log.atError().setMessage("hardware lane error; continuing").setCause(t).log();
                sleepQuietly();
            }
        }
    }

    private void onFrame(Frame f, long now) {
        ActiveRecipe active = recipe.get();
        TriggerMatcher<Announced, Frame> m = matcher(active);
        long edge = clock(f.cameraId()).triggerNanos(f) - (long) (trigger.frameDelayMs() * 1e6);
        if (!matcherCameras.contains(f.cameraId())) {
            unannounced(f.cameraId(), f, "camera is not used by the recipe");
            return;
        }
        if (trigger.partIds() == TriggerConfig.PartIds.COUNTER && f.cameraId().equals(matcherCameras.getFirst())) {
            if (!acceptingParts.getAsBoolean()) {
                // the verdict journal is at its bound: a part numbered now would only grow it (the PLC's triggers
                // are refused the same way)
                long n = refused.incrementAndGet();
                if (n == 1 || n % 100 == 0) {
                    log.atWarn().setMessage("not accepting parts: verdicts await the broker; frame dropped")
                            .addKeyValue("camera", f.cameraId()).addKeyValue("total", n).log();
                }
                f.close();
                return;
            }
            String partId = String.format("H%06d", counter.incrementAndGet());
            ActiveRecipe r = retained();
            VerdictGate.Ticket ticket = openWith(new Part(partId, edge, Instant.now().minusNanos(now - edge),
                    edge + deadlineNanos), r);
            m.announce(new Announced(ticket, r, edge), edge, now);
        }
        m.frame(f.cameraId(), f, edge, now);
    }

    /** The camera's clock, made at its first frame (a plain lookup per frame: no capturing lambda to allocate). */
    private CameraClock clock(String camera) {
        CameraClock c = clocks.get(camera);
        if (c == null) {
            c = new CameraClock(camera, TimeUnit.MILLISECONDS.toNanos(devices.cameraConfig(camera).frameTimeoutMs()));
            clocks.put(camera, c);
        }
        return c;
    }

    /** The matcher for the recipe's cameras; a new one (parts of the old one drained) when they change. */
    private TriggerMatcher<Announced, Frame> matcher(ActiveRecipe active) {
        List<String> cameras = new ArrayList<>(new LinkedHashSet<>(active.recipe().shots().stream().map(Shot::camera).toList()));
        if (matcher == null || !cameras.equals(matcherCameras)) {
            if (matcher != null) {
                matcher.drain(events, "the recipe changed to other cameras before its frames came");
            }
            long frameWait = cameras.stream().mapToLong(c -> devices.cameraConfig(c).frameTimeoutMs()).max().orElse(1000);
            matcher = new TriggerMatcher<>(cameras, (long) (trigger.matchToleranceMs() * 1e6),
                    TimeUnit.MILLISECONDS.toNanos(frameWait), TimeUnit.MILLISECONDS.toNanos(trigger.announceWaitMs()), 64,
                    events);
            matcherCameras = cameras;
        }
        return matcher;
    }

    private final TriggerMatcher.Events<Announced, Frame> events = new TriggerMatcher.Events<>() {
        @Override
        public void complete(Announced a, Map<String, Frame> got) {
            startPart(a, got);
        }

        @Override
        public void missing(Announced a, String camera, String why, Map<String, Frame> partial) {
            partial.values().forEach(Frame::close);
            missing.incrementAndGet();
            a.ticket().reject(ReasonCode.IMAGE_MISSING, camera, why);
            a.recipe().release();
        }

        @Override
        public void unannounced(String camera, Frame frame, String why) {
            HardwareLane.this.unannounced(camera, frame, why);
        }
    };

    private final TriggerMatcher.Events<Announced, Frame> stopping = new TriggerMatcher.Events<>() {
        @Override
        public void complete(Announced a, Map<String, Frame> got) {
            missing(a, "", "station stopping", got);
        }

        @Override
        public void missing(Announced a, String camera, String why, Map<String, Frame> partial) {
            partial.values().forEach(Frame::close);
            a.ticket().reject(ReasonCode.STATION_STOPPED, "hardware-lane", why);
            a.recipe().release();
        }

        @Override
        public void unannounced(String camera, Frame frame, String why) {
            frame.close();
        }
    };

    private void unannounced(String camera, Frame frame, String why) {
        long n = unannounced.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            log.atWarn().setMessage("frame without an announced part dropped").addKeyValue("camera", camera)
                    .addKeyValue("frameId", frame.frameId()).addKeyValue("why", why).addKeyValue("total", n).log();
        }
        frame.close();
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

    /**
     * Sends each shot's light setting to its controller, once per recipe: here the line fires cameras and strobes, so
     * no per-part step does it (the software path applies it before each shot). A controller that refuses or does not
     * answer is tried again every {@link #LIGHT_RETRY_NANOS}; meanwhile the recipe's parts are LIGHT_FAULT, never
     * judged under whatever light the controller still holds.
     */
    private void applyLights(ActiveRecipe active) {
        for (Shot s : active.recipe().shots()) {
            LightSetting light = s.light();
            if (light == null) {
                continue;
            }
            try {
                devices.light(light.controller()).apply(light.channel(), light);
            } catch (LightException | RuntimeException e) {
                lightsNotApplied = new LightFaults.Found(light.controller(), "light setting of shot " + s.name()
                        + " not applied (channel " + light.channel() + "): " + e.getMessage());
                lightsRetryAt = System.nanoTime() + LIGHT_RETRY_NANOS;
                log.atWarn().setMessage("hardware lane: recipe's light setting not applied; parts are rejected until it is")
                        .addKeyValue("controller", light.controller()).addKeyValue("shot", s.name())
                        .addKeyValue("error", e.getMessage()).log();
                return;
            }
        }
        lightsNotApplied = null;
        lightsFor = active;
    }

    private void startPart(Announced a, Map<String, Frame> got) {
        VerdictGate.Ticket ticket = a.ticket();
        List<Shot> shots = a.recipe().recipe().shots();
        List<ShotFrame> shotFrames = new ArrayList<>(shots.size());
        for (Shot shot : shots) {
            shotFrames.add(new ShotFrame(shot.name(), shot.camera(), java.util.Objects.requireNonNull(got.get(shot.camera()),
                    "frame of " + shot.camera())));
        }
        boolean handedOver = false;
        try {
            if (ticket.isDecided()) {
                return;
            }
            if (lineStopped.getAsBoolean()) {
                ticket.reject(ReasonCode.STATION_STOPPED, "station", "line stopped by command");
                return;
            }
            LightFaults.Found lightFault = a.recipe() == lightsFor ? lightFaults.first(shots) : unapplied(a.recipe());
            if (lightFault != null) {
                ticket.reject(ReasonCode.LIGHT_FAULT, lightFault.controller(), lightFault.reason());
                return; // imaged while its light was not answering: not judged
            }
            for (ShotFrame sf : shotFrames) {
                if (!sf.frame().complete()) {
                    ticket.reject(ReasonCode.IMAGE_INCOMPLETE, sf.camera(), "frame " + sf.frame().frameId() + " of shot "
                            + sf.shot() + (sf.frame().incompleteReason() == null ? " lost packets" : ": " + sf.frame().incompleteReason()));
                    return;
                }
            }
            ticket.stage("imaged");
            next.accept(new AcquisitionSequencer.Job(ticket, a.recipe()),
                    new AcquiredPart(ticket.part(), a.recipe().recipe(), shotFrames, System.nanoTime() - ticket.part().triggeredNanos()));
            handedOver = true;
        } finally {
            if (!handedOver) {
                got.values().forEach(Frame::close);
                a.recipe().release(); // handed over, inspection owns the reference
            }
        }
    }

    /** Why a recipe's parts cannot be judged under its lights: they are not applied (yet), or another recipe's are. */
    private LightFaults.@Nullable Found unapplied(ActiveRecipe r) {
        LightFaults.Found why = lightsNotApplied;
        if (why != null) {
            return why;
        }
        for (Shot s : r.recipe().shots()) {
            if (s.light() != null) {
                return new LightFaults.Found(s.light().controller(), "the recipe's light settings are not applied yet");
            }
        }
        return null;
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
        devices.routeUntaggedFrames(null);
        TriggerMatcher<Announced, Frame> m = matcher;
        if (m != null) {
            m.drain(stopping, "station stopping");
        }
        Announced a;
        while ((a = announcements.poll()) != null) {
            a.ticket().reject(ReasonCode.STATION_STOPPED, "hardware-lane", "station stopping");
            a.recipe().release();
        }
        Frame f;
        while ((f = frames.poll()) != null) {
            f.close();
        }
    }
}
