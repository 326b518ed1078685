/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import io.linesight.station.archive.ImageArchive;
import io.linesight.station.result.Inspection;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.plc.PlcLink;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.StoreWriter;
import io.linesight.station.timing.StageTimes;
import io.linesight.station.verdict.VerdictGate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a decided part goes, in order of urgency: the PLC first (the reject gate is waiting), then counters, the image
 * archive, the results store and the viewers. Only the PLC publish happens before the next step can start; the rest
 * is queued for their own threads.
 */
public final class ResultFanout implements VerdictGate.DecisionSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultFanout.class);

    private final PlcLink plc;
    private final StationStats stats;
    private final StoreWriter store;
    private final ImageArchive archive;
    private final LatestImages images = new LatestImages(30);
    private final List<ResultListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<@Nullable Viewed> latest = new AtomicReference<>();
    private final AtomicLong skippedByViewers = new AtomicLong();
    private final Thread dispatcher;
    private volatile boolean running = true;

    public ResultFanout(PlcLink plc, StationStats stats, StoreWriter store, ImageArchive archive) {
        this.plc = plc;
        this.stats = stats;
        this.store = store;
        this.archive = archive;
        this.dispatcher = Thread.ofPlatform().name("viewer-dispatch").daemon(true).unstarted(this::dispatch);
        this.dispatcher.start();
    }

    /** A decided part for the viewers, with its own images when they were copied (never another part's). */
    private record Viewed(Inspection inspection, LatestImages.@Nullable PartImages images) {
    }

    @Override
    public Inspection publish(Inspection inspection) {
        return stats.stages().time(StageTimes.Stage.PUBLISH, () -> plc.publish(inspection));
    }

    @Override
    public void recorded(Inspection numbered, @Nullable Object evidence) {
        AcquiredPart part = evidence instanceof AcquiredPart p ? p : null;
        long start = System.nanoTime();
        long cpu = StageTimes.threadCpuNanos();
        String archived = part == null ? null : archive.admit(numbered, part.recipe().archive());
        // Straight behind the PLC: from here the result is spooled to disk, so a crash loses nothing the PLC has.
        store.submit(new StoreWriter.Entry(numbered, false, archived));
        stats.stages().add(StageTimes.Stage.STORE, System.nanoTime() - start, StageTimes.threadCpuNanos() - cpu);
        stats.record(numbered);
        LatestImages.PartImages copies = null;
        if (part != null) {
            if (archived != null) {
                stats.stages().time(StageTimes.Stage.ARCHIVE, () -> {
                    archive.copyAndQueue(numbered, part);
                    return null;
                });
            }
            if (!listeners.isEmpty()) {
                copies = images.offer(part);
            }
        }
        if (!numbered.verdict().passed()) {
            log.atDebug().setMessage("part rejected").addKeyValue("partId", numbered.part().partId())
                    .addKeyValue("seq", numbered.seq()).addKeyValue("reasons", numbered.verdict().reasons()).log();
        }
        if (!listeners.isEmpty()) {
            if (latest.getAndSet(new Viewed(numbered, copies)) != null) {
                skippedByViewers.incrementAndGet();
            }
            LockSupport.unpark(dispatcher); // only with viewers: a wake-up per verdict for nobody is a wasted switch
        }
    }

    @Override
    public void late(Inspection lateInspection) {
        stats.recordLate();
        store.submit(new StoreWriter.Entry(lateInspection, true, null));
        log.atWarn().setMessage("part decided after its deadline; TIMEOUT was sent").addKeyValue("partId",
                lateInspection.part().partId()).addKeyValue("lateResult", lateInspection.lateVerdict()).log();
    }

    public void addListener(ResultListener l) {
        listeners.add(l);
    }

    public void removeListener(ResultListener l) {
        listeners.remove(l);
    }

    /** Results viewers did not see because a newer one came first. */
    public long skippedByViewers() {
        return skippedByViewers.get();
    }

    private void dispatch() {
        while (running) {
            Viewed v = latest.getAndSet(null);
            if (v == null) {
                LockSupport.parkNanos(50_000_000L);
                continue;
            }
            for (ResultListener l : listeners) {
                try {
                    l.onResult(v.inspection(), v.images());
                } catch (RuntimeException | Error e) {
                    // one listener's failure, even an Error, must not end the dispatch: every viewer would freeze
                    log.atWarn().setMessage("result listener failed").addKeyValue("listener", l.getClass().getName())
                            .addKeyValue("error", e.toString()).log();
                }
            }
        }
    }

    /** False once the viewers' dispatch thread has ended while the fan-out is open: the screens would freeze. */
    public boolean viewersAlive() {
        return !running || dispatcher.isAlive();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(dispatcher);
    }
}
