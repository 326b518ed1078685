/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import io.linesight.station.control.CommandException;
import io.linesight.station.control.StationControl;
import io.linesight.station.secrets.Secrets;
import io.linesight.camera.api.CameraException;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.TriggerConfig;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.inference.api.InferenceException;
import io.linesight.lighting.api.LightException;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.alarm.AlarmWatch;
import io.linesight.station.alarm.StationAlarms;
import io.linesight.station.acquire.AcquisitionSequencer;
import io.linesight.station.admission.LoadShedder;
import io.linesight.station.admission.PartIdGuard;
import io.linesight.station.acquire.Devices;
import io.linesight.station.acquire.HardwareLane;
import io.linesight.station.archive.ImageArchive;
import io.linesight.station.fanout.ResultFanout;
import io.linesight.station.inspect.ActiveRecipe;
import io.linesight.station.inspect.InspectionWorkers;
import io.linesight.station.part.Part;
import io.linesight.station.plc.BrokerSecurity;
import io.linesight.station.plc.EmbeddedBroker;
import io.linesight.station.plc.LinkHealth;
import io.linesight.station.plc.MqttPlcLink;
import io.linesight.station.plc.PlcCommands;
import io.linesight.station.plc.trust.CommandTrust;
import io.linesight.station.plc.trust.LoginTokens;
import io.linesight.station.plc.trust.Credentials;
import io.linesight.station.plc.StationState;
import io.linesight.station.plc.Topics;
import io.linesight.station.plc.sparkplug.SparkplugNode;
import io.linesight.station.plc.sparkplug.SparkplugTee;
import io.linesight.station.realtime.RealtimeScheduling;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.ResultsHealth;
import io.linesight.station.store.ResultsStore;
import io.linesight.station.store.StoreWriter;
import io.linesight.station.verdict.VerdictGate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running station: the way a part travels, wired together.
 *
 * <pre>
 * trigger(partId) → VerdictGate.open (deadline armed) → AcquisitionSequencer (light, camera, frame)
 *   → InspectionWorkers (rules ∥ model → Judge) → ticket.decide → ResultFanout: PLC · stats · archive · store · viewers
 * </pre>
 *
 * Components start in dependency order and stop in reverse; {@link #close()} rejects parts still in flight with
 * {@code STATION_STOPPED} (each still gets its one verdict) and waits for the store and archive to drain.
 */
public final class Station implements AutoCloseable, StationControl {
    private static final Logger log = LoggerFactory.getLogger(Station.class);

    private final LoadedStation loaded;
    private final StationConfig config;
    private final Path dataDir;
    private final StationStats stats = new StationStats();
    private final AtomicReference<ActiveRecipe> active = new AtomicReference<>();
    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private @Nullable EmbeddedBroker broker;
    private ResultsStore store;
    private StoreWriter storeWriter;
    private MqttPlcLink plc;
    private @Nullable SparkplugNode sparkplug;
    private Devices devices;
    private ImageArchive archive;
    private ResultFanout fanout;
    private VerdictGate gate;
    private InspectionWorkers workers;
    private AcquisitionSequencer sequencer;
    private @Nullable HardwareLane hardwareLane;
    private ScheduledExecutorService watchdog;
    private ScheduledExecutorService housekeeping;
    private volatile boolean running;
    private volatile boolean lineStopped;
    private LoadShedder shedder;
    private final PartIdGuard partIds;
    private final AtomicLong refusedTriggers = new AtomicLong();
    private long publishFailuresSeen;
    private @Nullable PlcCommands commands;
    private @Nullable StationAlarms alarms;
    private long heartbeats;

    private Station(LoadedStation loaded, Path dataDir) {
        this.loaded = loaded;
        this.config = loaded.config();
        this.dataDir = dataDir;
        this.partIds = new PartIdGuard(TimeUnit.MILLISECONDS.toNanos(Math.max(10_000L, 4L * config.deadlineMs())), 100_000);
    }

    /**
     * Starts a station: results store, broker link, recipe (rules and model sessions), devices, pipeline threads.
     * Any failure closes what was started and throws with the cause named.
     *
     * @param brokerOverride a broker URL replacing the config's, or null
     * @param dataDirOverride a data directory replacing the config's, or null
     */
    public static Station start(LoadedStation loaded, Recipe recipe, @Nullable String brokerOverride,
                                @Nullable Path dataDirOverride) throws IOException {
        return start(loaded, recipe, brokerOverride, dataDirOverride, null);
    }

    /**
     * As {@link #start(LoadedStation, Recipe, String, Path)}, taking commands from remote HMIs ({@code hmi/cmd/…})
     * whose engineer or admin logins {@code remoteLogins} checks; null refuses every remote HMI command.
     */
    public static Station start(LoadedStation loaded, Recipe recipe, @Nullable String brokerOverride,
                                @Nullable Path dataDirOverride, @Nullable Credentials remoteLogins) throws IOException {
        Path dataDir = dataDirOverride != null ? dataDirOverride : loaded.dataDir();
        Station s = new Station(loaded, dataDir);
        try {
            s.startComponents(recipe, brokerOverride, remoteLogins);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void startComponents(Recipe recipe, @Nullable String brokerOverride, @Nullable Credentials remoteLogins)
            throws IOException {
        RealtimeScheduling.configure(config.scheduling());
        RealtimeScheduling.elevateJvmPauseThreads();
        // Lazily: the station starts and inspects while the database is away; results wait on the spool.
        store = register(ResultsStore.openLazily(config.storage(), dataDir, config.line(), config.station(),
                loaded.baseDir()));
        storeWriter = register(new StoreWriter(store, dataDir.resolve("spool"), 1L << 30));
        String url = brokerOverride;
        if (url == null && config.broker().embedded()) {
            broker = register(EmbeddedBroker.start(dataDir.resolve("broker"), config.broker().embeddedPort()));
            url = broker.url();
        } else if (url == null) {
            url = config.broker().url();
        }
        long firstSeq = storeWriter.lastSeq() + 1;
        Topics topics = new Topics(config.line(), config.station());
        if (config.sparkplug() != null) {
            // registered before the PLC link so it closes after it and still carries the final STATION_STOPPED rejects
            sparkplug = register(SparkplugNode.start(config.sparkplug(), config.line(), config.station(), url,
                    BrokerSecurity.of(config.broker(), loaded.baseDir()), loaded.baseDir(), dataDir));
        }
        plc = register(MqttPlcLink.connect(url, config.broker(), topics, firstSeq - 1, loaded.baseDir(),
                dataDir.resolve("journal").resolve("verdicts.journal")));
        try {
            active.set(ActiveRecipe.load(recipe, loaded.recipeDir(), config.pipeline().inspectionWorkers()));
        } catch (InferenceException | ConfigException e) {
            throw new IOException("recipe " + recipe.label() + ": " + e.getMessage(), e);
        }
        try {
            devices = register(Devices.open(config));
        } catch (CameraException | LightException e) {
            throw new IOException("devices: " + e.getMessage(), e);
        }
        archive = register(new ImageArchive(dataDir.resolve("archive"), new ImageArchive.Limits(
                config.storage().archiveQueueMb() * (1L << 20), config.storage().archiveQuotaMb() * (1L << 20),
                config.storage().retentionDays(), 256L << 20, ImageArchive.Limits.defaults().drain()),
                storeWriter::submit));
        archive.timeInto(stats.stages());
        storeWriter.timeInto(stats.stages());
        fanout = register(new ResultFanout(sparkplug == null ? plc : new SparkplugTee(plc, sparkplug), stats, storeWriter, archive));
        // two threads: a TIMEOUT whose publish is slow (a cold start, a slow disk) must not hold up the next part's
        java.util.concurrent.ScheduledThreadPoolExecutor deadlines = new java.util.concurrent.ScheduledThreadPoolExecutor(2,
                RealtimeScheduling.threadFactory("deadline-watchdog", 1)); // over the sender and MQTT threads
        deadlines.prestartAllCoreThreads();
        // a decided part's timer leaves the queue at once: a part shed at its trigger must not wake the watchdog later
        deadlines.setRemoveOnCancelPolicy(true);
        watchdog = deadlines;
        gate = new VerdictGate(watchdog, fanout, config.scheduling().publishMarginMs());
        shedder = new LoadShedder(config.pipeline().inspectionWorkers(), stats.stages());
        workers = register(new InspectionWorkers(config.pipeline().inspectionWorkers(), config.pipeline().queueCapacity(), shedder,
                stats.stages()));
        sequencer = register(new AcquisitionSequencer(devices, config.pipeline().queueCapacity(),
                (job, part) -> workers.submit(new InspectionWorkers.Job(job.ticket(), part, job.recipe(), System.nanoTime())),
                shedder, workers::pending));
        if (config.trigger().source() == TriggerConfig.Source.HARDWARE) {
            hardwareLane = register(new HardwareLane(devices, active::get,
                    (part, inspectedWith) -> gate.open(part, inspectedWith.recipe().label(), inspectedWith.modelLabel()),
                    (job, part) -> workers.submit(new InspectionWorkers.Job(job.ticket(), part, job.recipe(), System.nanoTime())),
                    config.deadlineMs(), () -> lineStopped, config.trigger(), () -> plc.acceptingParts()));
        }
        // every command is audited in the results store before it acts; remote HMIs prove an engineer login
        LoginTokens logins = remoteLogins == null ? null
                : new LoginTokens(remoteLogins, Clock.systemUTC(), LoginTokens.DEFAULT_TTL);
        ResultsStore trail = store;
        commands = register(new PlcCommands(topics, this, config.broker(), new CommandTrust(topics,
                (who, action, subject, outcome) -> trail.audit(who, action, subject, null, outcome, Instant.now()),
                logins)));
        plc.attach(commands);
        // real-time too: the state the PLC relies on (FAULT when verdicts cannot get out) must not wait for a busy CPU
        housekeeping = Executors.newSingleThreadScheduledExecutor(RealtimeScheduling.threadFactory("heartbeat"));
        housekeeping.scheduleAtFixedRate(this::heartbeat, 1, 1, TimeUnit.SECONDS);
        warmUpDeadlinePath();
        RealtimeScheduling.elevateJvmPauseThreads(); // and the GC workers started meanwhile
        // the alarm history is the station's own, with or without a screen attached
        alarms = register(new StationAlarms(store, this::alarmSigns));
        alarms.start();
        running = true;
        state(lineStopped ? StationState.STOPPED : StationState.ONLINE); // only now may the PLC rely on it
        log.atInfo().setMessage("station running").addKeyValue("line", config.line()).addKeyValue("station", config.station())
                .addKeyValue("recipe", recipe.label()).addKeyValue("broker", Secrets.redact(url)).addKeyValue("dataDir", dataDir).log();
    }

    /**
     * Runs the TIMEOUT path once on the watchdog's own thread before the first part: creates the thread (with its
     * real-time policy), loads the classes and encodes a verdict, so that the first real TIMEOUT does not spend its
     * publish margin on class loading (measured: the first TIMEOUTs of a cold station came up to 50 ms late).
     */
    private void warmUpDeadlinePath() throws IOException {
        try {
            watchdog.submit(() -> {
                int n = 0;
                for (int k = 0; k < 2_000; k++) { // enough for the JIT to compile the path, a few ms
                    Part p = Part.triggeredNow("warm-up", config.deadlineMs());
                    io.linesight.station.result.Inspection i = new io.linesight.station.result.Inspection(p, 0, "warm-up",
                            "", io.linesight.rules.judge.Verdict.Reject.of(ReasonCode.TIMEOUT, "watchdog", "warm-up"),
                            List.of(), List.of(), List.of(), Instant.now(), new io.linesight.station.result.Timings(0, 0, 0, 0, 0),
                            null);
                    n += io.linesight.station.plc.VerdictPayload.encode(i, config.broker().payload(), false).length;
                }
                return n;
            }).get(30, TimeUnit.SECONDS);
            housekeeping.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the deadline watchdog does not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
    }

    private static Thread named(Runnable r, String name, int priority) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setPriority(priority);
        t.setUncaughtExceptionHandler((th, e) -> log.atError().setMessage("thread died").addKeyValue("thread", name)
                .setCause(e).log());
        return t;
    }

    /** The active recipe with a reference taken for one part, or null when the station is closed. */
    private @Nullable ActiveRecipe retainActive() {
        while (true) {
            ActiveRecipe r = active.get();
            if (r == null || r.retain()) {
                return r;
            }
            Thread.onSpinWait(); // a changeover swapped it between the read and the retain
        }
    }

    private <T extends AutoCloseable> T register(T c) {
        closeInReverse.add(c);
        return c;
    }

    /**
     * A part arrived: its deadline starts now. Never blocks; the part is rejected at once if the station cannot
     * take it (stopped, queues full, overloaded). Returns null when the part got a ticket (and so will get exactly one
     * verdict), else why the trigger was refused: a repeated part id, or a station that cannot take parts because
     * its verdicts are not getting out (state FAULT).
     */
    public @Nullable String trigger(String partId) {
        return trigger(partId, null);
    }

    /**
     * Like {@link #trigger(String)}, with the time the PLC fired the part's trigger (hardware trigger source: the
     * frames are paired with the part by that time; null takes the arrival time).
     */
    public @Nullable String trigger(String partId, @Nullable Instant firedAt) {
        if (!plc.acceptingParts()) {
            refusedTriggers.incrementAndGet();
            return "not accepting parts: " + plc.unacked() + " verdicts await the broker (broker.journalMaxMb reached)";
        }
        if (!partIds.firstTime(partId, System.nanoTime())) {
            log.atWarn().setMessage("trigger refused: part id already triggered").addKeyValue("partId", partId).log();
            return "duplicate part id " + partId + ": it was already triggered; the first trigger keeps its verdict";
        }
        HardwareLane lane = hardwareLane;
        if (lane != null) {
            return lane.announce(partId, firedAt); // the camera's line starts the part; the PLC names it
        }
        ActiveRecipe recipe = retainActive();
        if (recipe == null) {
            return "station is closed";
        }
        Part part = Part.triggeredNow(partId, config.deadlineMs());
        VerdictGate.Ticket ticket = gate.open(part, recipe.recipe().label(), recipe.modelLabel());
        if (!running || lineStopped) {
            ticket.reject(ReasonCode.STATION_STOPPED, "station", running ? "line stopped by command" : "station is not running");
            recipe.release();
            return null;
        }
        sequencer.submit(new AcquisitionSequencer.Job(ticket, recipe));
        return null;
    }

    @Override
    public void triggerPart(String partId, @Nullable Instant firedAt) throws CommandException {
        String refused = trigger(partId, firedAt);
        if (refused != null) {
            throw new CommandException(refused);
        }
    }

    /**
     * Changes the recipe between parts: the new one is loaded completely (model sessions included) before it
     * replaces the old; parts already triggered finish with the recipe they started with.
     */
    public void changeRecipe(Recipe recipe) throws InferenceException, ConfigException {
        ActiveRecipe next = ActiveRecipe.load(recipe, loaded.recipeDir(), config.pipeline().inspectionWorkers());
        ActiveRecipe old = active.getAndSet(next);
        log.atInfo().setMessage("recipe changed").addKeyValue("from", old.recipe().label())
                .addKeyValue("to", recipe.label()).log();
        old.release(); // closes its model sessions once the last part that uses it is done

    }

    /**
     * Once a second: the state the PLC must see (FAULT while verdicts cannot get out), the retained status with its
     * reasons, and the heartbeat. Never throws: a scheduled task that throws is never run again.
     */
    private void heartbeat() {
        try {
            if (++heartbeats % 10 == 0) {
                RealtimeScheduling.elevateJvmPauseThreads(); // GC workers are started on demand
            }
            LinkHealth h = plc.health();
            List<String> faults = faults(h);
            StationState want = !faults.isEmpty() ? StationState.FAULT : lineStopped ? StationState.STOPPED : StationState.ONLINE;
            if (want != plc.lastState()) {
                if (want == StationState.FAULT) {
                    log.atError().setMessage("station FAULT: the PLC must reject at the gate").addKeyValue("reasons", faults).log();
                } else {
                    log.atInfo().setMessage("station state").addKeyValue("state", want).log();
                }
                state(want);
            }
            plc.status(StationStatus.json(want, faults, warnings(h), h, RealtimeScheduling.status(), shedder,
                    refusedTriggers(), hardwareLane == null ? 0 : hardwareLane.unannouncedFrames()));
            StationStats.Snapshot s = stats.snapshot();
            plc.heartbeat(() -> StationStatus.heartbeat(s, gate.inFlight(), h, recipe().label(), executionProvider()));
        } catch (Throwable t) {
            log.atError().setMessage("heartbeat failed").setCause(t).log();
        }
    }

    /** What makes the station FAULT: its verdicts cannot get out, or it cannot take parts. */
    private List<String> faults(LinkHealth h) {
        List<String> out = new ArrayList<>(h.faults());
        if (plc.journalFull() && config.broker().stopLineWhenJournalFull()) {
            out.add("verdict journal full: " + h.unacked() + " verdicts not acknowledged (broker.journalCapacity)");
        }
        if (gate.publishFailures() > publishFailuresSeen) {
            publishFailuresSeen = gate.publishFailures();
            out.add("verdicts failed to publish (" + publishFailuresSeen + " since start; each got the fail-safe reject)");
        }
        return out;
    }

    private List<String> warnings(LinkHealth h) {
        List<String> out = new ArrayList<>(h.warnings());
        RealtimeScheduling.Status rt = RealtimeScheduling.status();
        if (rt.requested() && rt.refusal() != null) {
            out.add("real-time scheduling not in force: " + rt.refusal());
        }
        return out;
    }

    @Override
    public String changeRecipe(@Nullable String name, @Nullable String productCode, boolean force)
            throws CommandException {
        int inFlight = gate.inFlight();
        if (inFlight > 0 && !force) {
            throw new CommandException(inFlight + " parts in flight: change over between parts, or send "
                    + "\"force\": true (parts in flight finish with the recipe they started with)");
        }
        Path file = RecipeFiles.find(loaded.recipeDir(), name, productCode);
        try {
            Recipe recipe = RecipeLoader.load(file, config.recipeDir() + "/" + file.getFileName(), loaded.recipeDir(), config);
            changeRecipe(recipe);
            return recipe.label();
        } catch (ConfigException e) {
            throw new CommandException(e.getMessage().replace(System.lineSeparator(), "; "));
        } catch (InferenceException e) {
            throw new CommandException("model: " + e.getMessage());
        }
    }

    /** Publishes the station state on the PLC link and, when configured, in the Sparkplug namespace. */
    private void state(StationState state) {
        plc.state(state);
        SparkplugNode sp = sparkplug;
        if (sp != null) {
            sp.onState(state);
        }
    }

    @Override
    public void startLine() {
        lineStopped = false;
        state(StationState.ONLINE);
        log.atInfo().setMessage("line started by command").log();
    }

    @Override
    public void stopLine() {
        lineStopped = true;
        state(StationState.STOPPED);
        log.atInfo().setMessage("line stopped by command").log();
    }

    @Override
    public void reset() {
        stats.reset();
        log.atInfo().setMessage("counters reset by command").log();
    }

    /** Whether a stop command holds the line. */
    public boolean lineStopped() {
        return lineStopped;
    }

    /** Verdicts the broker has not acknowledged yet. */
    public int unackedVerdicts() {
        return plc.unacked();
    }

    /** Results cannot be written to the database now (they wait in the spool). */
    public boolean storeFailing() {
        return storeWriter.failing();
    }

    /** What the station shows its alarm watch now; the alarm thread calls it. */
    private StationAlarms.Signs alarmSigns() {
        var model = recipe().model();
        return new StationAlarms.Signs(brokerConnected(), devices.health(), stats.snapshot().timeouts(),
                new AlarmWatch.StationSigns(unackedVerdicts(), config.broker().journalCapacity(),
                        model == null ? "" : model.provider(), executionProvider(), storeFailing(), storeSpooled(),
                        archivePauseReason(), storeStatus(), archiveCounts(), active.get().anomalyOnCpu()));
    }

    /** The station's alarms: what is wrong now and what the store holds open; kept whether or not a screen looks. */
    public StationAlarms alarms() {
        StationAlarms a = alarms;
        if (a == null) {
            throw new IllegalStateException("station not started");
        }
        return a;
    }

    /** Results waiting in the spool. */
    public long storeSpooled() {
        return storeWriter.spooled();
    }

    /** The results writer's account: database state, spool, replay, what it could not keep. */
    public StoreWriter.Status storeStatus() {
        return storeWriter.status();
    }

    /** The image archive's counts since start: stored, not archived by reason, deleted. */
    public ImageArchive.Counts archiveCounts() {
        return archive.counts();
    }

    /** Diagnostics rows on what the station keeps and what it could not (results and images). */
    public java.util.Map<String, String> keeping() {
        return ResultsHealth.rows(storeWriter.status(), archive.counts(), archivePauseReason());
    }

    /** Why the image archive is paused (disk full), or null while it archives. */
    public @Nullable String archivePauseReason() {
        return archive.paused() ? archive.pauseReason() : null;
    }

    /**
     * What is wrong now, in words, most important first (PLC link, journal, real-time, devices, results, images, a
     * stopped line); empty when all is well. The recorded alarms with their history are {@link #alarms()}.
     */
    public java.util.List<String> problems() {
        LinkHealth h = plc.health();
        java.util.List<String> out = new ArrayList<>();
        h.faults().forEach(f -> out.add("PLC link: " + f));
        if (!plc.connected()) {
            out.add("PLC link: broker " + Secrets.redact(plc.brokerUrl()) + " not connected (" + plc.unacked() + " verdicts waiting)");
        } else if (!h.plcListening()) {
            out.add("PLC not listening: the broker has no subscriber for verdicts");
        }
        if (h.journalQuarantine() != null) {
            out.add("verdict journal: " + h.journalQuarantine());
        }
        if (plc.journalFull()) {
            out.add("verdict journal full: " + plc.unacked() + " verdicts not acknowledged");
        }
        RealtimeScheduling.Status rt = RealtimeScheduling.status();
        if (rt.requested() && rt.refusal() != null) {
            out.add("real-time scheduling not in force: a TIMEOUT may be late under CPU load (" + rt.refusal() + ")");
        }
        devices.health().forEach((device, health) -> {
            if (!health.equals("ok")) {
                out.add(device + ": " + health);
            }
        });
        if (storeWriter.failing()) {
            out.add("results database unreachable: " + storeWriter.spooled() + " results kept in the spool");
        }
        if (archive.paused()) {
            out.add("image archive paused: " + archive.pauseReason());
        }
        ImageArchive.Counts images = archive.counts();
        if (images.dropped() > 0) {
            out.add("images not archived since start: " + images.droppedByReason());
        }
        if (lineStopped) {
            out.add("line stopped by command");
        }
        return out;
    }

    public StationStats stats() {
        return stats;
    }

    /** How long a pipeline thread may stay in one part before the station counts as stuck. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Why the pipeline is not alive and moving, or null when it is: the acquisition thread, every inspection worker
     * and the PLC sender must be running and coming round their loops, and the results writer, the image archive's
     * writer and the viewers' dispatch must be running (a thread stuck in one part for
     * {@link #STALL_NANOS} counts as stalled). Printed with every progress line, where the installed service's
     * systemd watchdog reads it: a stalled station gets no watchdog ping and systemd restarts it. Any thread.
     */
    public @Nullable String stalled() {
        long now = System.nanoTime();
        AcquisitionSequencer seq = sequencer;
        String why = seq == null ? null : seq.stalled(now, STALL_NANOS);
        InspectionWorkers w = workers;
        if (why == null && w != null) {
            why = w.stalled(now, STALL_NANOS);
        }
        MqttPlcLink link = plc;
        if (why == null && link != null && !link.health().senderAlive()) {
            why = "the PLC sender is not running";
        }
        if (why == null && storeWriter != null && !storeWriter.alive()) {
            why = "the results writer is not running";
        }
        if (why == null && archive != null && !archive.writerAlive()) {
            why = "the image archive writer is not running";
        }
        if (why == null && fanout != null && !fanout.viewersAlive()) {
            why = "the viewers' dispatch is not running";
        }
        return why;
    }

    /** The PLC link's delivery health (for diagnostics and tests). */
    public LinkHealth linkHealth() {
        return plc.health();
    }

    /** Parts rejected with OVERLOAD since start: not taken at their trigger, or shed after it by the safety net. */
    public long shedParts() {
        return shedder.shed();
    }

    /** Of {@link #shedParts()}: taken at their trigger, shed later (before acquisition or inspection). */
    public long shedAfterTrigger() {
        return shedder.shedAfterTrigger();
    }

    /** Triggers refused (repeated part id, or not accepting parts) since start; they got no ticket. */
    public long refusedTriggers() {
        HardwareLane lane = hardwareLane;
        return partIds.refused() + refusedTriggers.get() + (lane == null ? 0 : lane.refusedParts());
    }

    /** Hardware trigger source: frames no announced part claimed, and announced parts that got no frame. */
    public long[] hardwareMatching() {
        HardwareLane lane = hardwareLane;
        return lane == null ? new long[2] : new long[] {lane.unannouncedFrames(), lane.missingFrames()};
    }

    public ResultFanout results() {
        return fanout;
    }

    public Recipe recipe() {
        return active.get().recipe();
    }

    public String executionProvider() {
        return active.get().executionProvider();
    }

    public String brokerUrl() {
        return plc.brokerUrl();
    }

    public boolean brokerConnected() {
        return plc.connected();
    }

    public Devices devices() {
        return devices;
    }

    public StationConfig config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The station file's folder: relative paths in it (broker PEM and password files) are relative to this. */
    public Path configDir() {
        return loaded.baseDir();
    }

    /** The recipe store folder (for the HMI's recipe screens). */
    public Path recipeDir() {
        return loaded.recipeDir();
    }

    /** The results store, for read queries (the HMI's statistics). */
    public ResultsStore store() {
        return store;
    }

    /** Parts triggered and not yet decided. */
    public int inFlight() {
        return gate.inFlight();
    }

    /** Waits until every triggered part has its verdict, up to {@code timeoutMs}; returns whether all did. */
    public boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (gate.inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        return gate.inFlight() == 0;
    }

    /** Results not yet written to the store. */
    public int storePending() {
        return storeWriter.pending();
    }

    @Override
    public void close() {
        running = false;
        if (gate != null) {
            try {
                awaitIdle(config.deadlineMs() + 500L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        // Reverse order: sequencer and workers reject what they still hold, so every part keeps its one verdict.
        for (int i = closeInReverse.size() - 1; i >= 0; i--) {
            AutoCloseable c = closeInReverse.get(i);
            if (c == plc && gate != null) {
                gate.rejectAll(ReasonCode.STATION_STOPPED, "station stopping");
                state(StationState.OFFLINE);
            }
            try {
                c.close();
            } catch (Exception e) {
                log.atWarn().setMessage("component did not stop cleanly").addKeyValue("component", c.getClass().getSimpleName())
                        .addKeyValue("error", e.toString()).log();
            }
        }
        ActiveRecipe a = active.getAndSet(null);
        if (a != null) {
            a.close();
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }
}
