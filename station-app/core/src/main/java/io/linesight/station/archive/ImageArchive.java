/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ArchivePolicy;
import io.linesight.station.archive.ImageFate.Reason;
import io.linesight.station.result.Inspection;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the images of rejected parts (always) and of sampled good parts: each shot as the camera delivered it
 * (lossless PNG, 16-bit kept, {@link PngEncoder}) and a JSON {@link SideCar} with the verdict and the overlays as
 * vectors, under {@code archive/<date>/<recipe>/}. Overlays are not drawn here: {@link OverlayRenderer} draws them when
 * someone looks. Copies the pixels on the deciding thread (after the PLC was told, into reused arrays) so the camera's
 * buffers go back at once; encoding and writing happen on the "archive-writer" thread, and the archive never slows
 * inspection.
 *
 * <p>Every admitted part gets exactly one {@link ImageFate} (to the {@link ImageFate.Sink}, the results store):
 * STORED once every file is written, forced and renamed into place and the folder forced; or DROPPED with why: the
 * queue (bounded in bytes) was full, the disk was full or under the reserve (the archive then pauses and resumes by
 * itself once the reserve and 64 MiB more are free), an I/O error, or the station stopped before the part's turn within the drain time.
 * Housekeeping (retention by age, quota with the oldest parts first, every minute) says DELETED for each part it
 * removes. {@link #counts()} has the totals, for alarms and diagnostics.
 */
public final class ImageArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImageArchive.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long RETRY_PAUSED_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MIB = 1L << 20;
    /** A paused archive resumes once this much more than the reserve is free: a disk at the edge does not flap. */
    private static final long RESUME_MARGIN = 64 * MIB;

    /**
     * How much the archive may hold and wait for.
     *
     * @param queueBytes    pixels waiting to be written; past it the oldest waiting part is dropped
     * @param quotaBytes    what the archive may hold on disk; the oldest parts go first past it
     * @param retentionDays day folders older than this are deleted
     * @param reserveBytes  free disk space under which the archive pauses rather than fill the disk
     * @param drain         how long {@link #close()} keeps writing what is queued
     */
    public record Limits(long queueBytes, long quotaBytes, int retentionDays, long reserveBytes, Duration drain) {
        /** 256 MiB queue, 2 GiB quota, 30 days, 256 MiB reserve, 10 s drain. */
        public static Limits defaults() {
            return new Limits(256 * MIB, 2048 * MIB, 30, 256 * MIB, Duration.ofSeconds(10));
        }

        public Limits withQueueBytes(long bytes) {
            return new Limits(bytes, quotaBytes, retentionDays, reserveBytes, drain);
        }

        public Limits withReserveBytes(long bytes) {
            return new Limits(queueBytes, quotaBytes, retentionDays, bytes, drain);
        }

        public Limits withDrain(Duration d) {
            return new Limits(queueBytes, quotaBytes, retentionDays, reserveBytes, d);
        }
    }

    /**
     * What the archive did since start.
     *
     * @param dropped    parts not stored, per {@link Reason} (QUEUE_FULL, DISK_FULL, IO_ERROR, SHUTDOWN)
     * @param deleted    parts deleted by housekeeping (retention and quota)
     * @param queueBytes pixels waiting now
     */
    public record Counts(long stored, long queueFull, long diskFull, long ioError, long shutdown, long deleted,
                         long queueBytes, long queueMaxBytes) {
        public long dropped() {
            return queueFull + diskFull + ioError + shutdown;
        }

        /** "queue full 3, disk full 1" — the non-zero drop reasons, for a person. */
        public String droppedByReason() {
            List<String> parts = new ArrayList<>();
            if (queueFull > 0) {
                parts.add(Reason.QUEUE_FULL.words() + " " + queueFull);
            }
            if (diskFull > 0) {
                parts.add(Reason.DISK_FULL.words() + " " + diskFull);
            }
            if (ioError > 0) {
                parts.add(Reason.IO_ERROR.words() + " " + ioError);
            }
            if (shutdown > 0) {
                parts.add(Reason.SHUTDOWN.words() + " " + shutdown);
            }
            return String.join(", ", parts);
        }
    }

    /** A copy of one shot's pixels, rows packed (no stride); 16-bit little-endian as the camera API delivers them. */
    record Shot(String name, String camera, int width, int height, PixelFormat format, byte[] pixels) {
    }

    private record Entry(Inspection inspection, List<Shot> shots, Path dir) {
        long bytes() {
            long n = 0;
            for (Shot s : shots) {
                n += s.pixels().length;
            }
            return n;
        }
    }

    private final Path root;
    private final Limits limits;
    private final ImageFate.Sink fates;
    private final ArchiveQueue<Entry> queue;
    private final PixelBuffers buffers;
    private final Thread thread;
    private final AtomicLong okSeen = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(Reason.values().length);
    private final AtomicLong deleted = new AtomicLong();
    private final ArchiveHousekeeper housekeeper;
    private final PngEncoder encoder = new PngEncoder(); // archive-writer thread only
    private volatile io.linesight.station.timing.@org.jspecify.annotations.Nullable StageTimes stages;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile @Nullable String pauseReason;
    private long nextHousekeeping;

    /** An archive with the {@linkplain Limits#defaults() default limits} but a queue of {@code queueBytes}, no sink. */
    public ImageArchive(Path root, long queueBytes) {
        this(root, Limits.defaults().withQueueBytes(queueBytes), ImageFate.Sink.NONE);
    }

    /**
     * @param fates told what became of every admitted part (and of parts housekeeping deletes)
     */
    public ImageArchive(Path root, Limits limits, ImageFate.Sink fates) {
        this.root = root;
        this.limits = limits;
        this.fates = fates;
        this.housekeeper = new ArchiveHousekeeper(root, limits.quotaBytes(), limits.retentionDays(), this::deletedPart);
        this.queue = new ArchiveQueue<>(limits.queueBytes(), Entry::bytes);
        this.buffers = new PixelBuffers(limits.queueBytes());
        this.thread = Thread.ofPlatform().name("archive-writer").daemon(true).unstarted(this::loop);
        this.thread.setUncaughtExceptionHandler((t, e) -> log.atError().setMessage("archive writer died").setCause(e).log());
        this.thread.start();
    }

    /**
     * Whether the policy keeps this part's images; returns the folder its files are to go to, relative to the root,
     * or null. Cheap: no pixels are touched, so the result can go to the store at once. Once a part is admitted,
     * {@link #copyAndQueue} must follow: it gives the part its fate.
     */
    public @Nullable String admit(Inspection inspection, ArchivePolicy policy) {
        boolean keep = inspection.verdict().passed()
                ? policy.okEveryN() > 0 && okSeen.incrementAndGet() % policy.okEveryN() == 0
                : policy.rejects();
        return keep ? root.relativize(folder(root, inspection)).toString() : null;
    }

    /**
     * Copies an admitted part's frames (so the camera's buffers go back at once) and queues them for writing. Called
     * on the deciding thread while the part's frames are still held. While the archive is paused (disk full) or
     * closed, the part is dropped at once, with that reason.
     */
    public void copyAndQueue(Inspection inspection, AcquiredPart part) {
        if (!running || paused) {
            String why = pauseReason;
            drop(inspection, running ? Reason.DISK_FULL : Reason.SHUTDOWN,
                    running ? "archive paused: " + why : "archive closed");
            return;
        }
        List<Shot> shots = new ArrayList<>(part.shots().size());
        for (ShotFrame sf : part.shots()) {
            Frame f = sf.frame();
            int rowBytes = f.width() * f.pixelFormat().bytesPerPixel();
            byte[] copy = buffers.take(rowBytes * f.height());
            ByteBuffer src = f.pixels();
            for (int y = 0; y < f.height(); y++) {
                src.get(y * f.stride(), copy, y * rowBytes, rowBytes);
            }
            shots.add(new Shot(sf.shot(), sf.camera(), f.width(), f.height(), f.pixelFormat(), copy));
        }
        enqueue(inspection, shots);
    }

    /** {@link #admit} then {@link #copyAndQueue}: the folder, or null when the part is not kept. */
    public @Nullable String offer(Inspection inspection, AcquiredPart part, ArchivePolicy policy) {
        String folder = admit(inspection, policy);
        if (folder != null) {
            copyAndQueue(inspection, part);
        }
        return folder;
    }

    /** Queues the copied shots for writing; returns the folder, relative to the root. */
    String enqueue(Inspection inspection, List<Shot> shots) {
        Path dir = folder(root, inspection);
        Entry e = new Entry(inspection, shots, dir);
        for (Entry old : queue.offer(e)) {
            drop(old, Reason.QUEUE_FULL, String.format(Locale.ROOT, "%.1f MiB waiting, queue holds %.1f MiB",
                    (queue.bytes() + e.bytes()) / (double) MIB, limits.queueBytes() / (double) MIB));
        }
        return root.relativize(dir).toString();
    }

    /** Where a part's files go: {@code <root>/<yyyy-MM-dd of the trigger, UTC>/<recipe>_<version>}. */
    static Path folder(Path root, Inspection inspection) {
        return root.resolve(DAY.format(inspection.part().triggeredAt())).resolve(inspection.recipe().replace('@', '_'));
    }

    /** The files of one part in its folder: the side-car is {@code <stem>.json}. */
    public static String stem(String partId, long seq) {
        return partId.replaceAll("[^A-Za-z0-9_.-]", "_") + "_" + seq;
    }

    /** Counts the writer thread's time per part (encoding, files) into the station's stage timings from now on. */
    public void timeInto(io.linesight.station.timing.StageTimes stages) {
        this.stages = stages;
    }

    private void loop() {
        while (true) {
            long now = System.nanoTime();
            if (now >= nextHousekeeping) {
                housekeeping();
                nextHousekeeping = now + (paused ? RETRY_PAUSED_NANOS : HOUSEKEEPING_NANOS);
            }
            Entry e;
            try {
                e = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
            if (e == null) {
                if (!running) {
                    return;
                }
                continue;
            }
            long start = System.nanoTime();
            long cpu = io.linesight.station.timing.StageTimes.threadCpuNanos();
            try {
                store(e);
            } finally {
                release(e);
                var st = stages;
                if (st != null) {
                    st.add(io.linesight.station.timing.StageTimes.Stage.ARCHIVE, System.nanoTime() - start,
                            io.linesight.station.timing.StageTimes.threadCpuNanos() - cpu);
                }
            }
        }
    }

    /** Writes one part's images and side-car, or drops them; the caller gives the pixel arrays back (once). */
    private void store(Entry e) {
        Inspection i = e.inspection();
        if (paused) {
            drop(i, Reason.DISK_FULL, "archive paused: " + pauseReason);
            return;
        }
        long free = freeBytes();
        if (free < limits.reserveBytes()) {
            String why = String.format(Locale.ROOT, "disk almost full: %d MiB free, reserve %d MiB", free / MIB,
                    limits.reserveBytes() / MIB);
            pause(why);
            drop(i, Reason.DISK_FULL, why);
            return;
        }
        List<Path> written = new ArrayList<>();
        try {
            DurableFiles.createDirectories(root, e.dir());
            List<SideCar.Image> images = new ArrayList<>(e.shots().size());
            long bytes = 0;
            String stem = stem(i.part().partId(), i.seq());
            for (Shot s : e.shots()) {
                String file = stem + "_" + s.name() + ".png";
                int length = encoder.encode(s.width(), s.height(), s.format(), s.pixels());
                bytes += DurableFiles.write(e.dir(), file, encoder.bytes(), length);
                written.add(e.dir().resolve(file));
                images.add(new SideCar.Image(s.name(), s.camera(), file, s.width(), s.height(), s.format()));
            }
            byte[] side = SideCar.encode(i, images);
            bytes += DurableFiles.write(e.dir(), stem + ".json", side, side.length);
            written.add(e.dir().resolve(stem + ".json"));
            DurableFiles.forceDirectory(e.dir());
            housekeeper.added(bytes);
            stored.incrementAndGet();
            tell(ImageFate.stored(i.part().partId(), i.seq(), root.relativize(e.dir()).toString(), Instant.now()));
        } catch (IOException | RuntimeException | Error ex) {
            // an Error too: the writer thread ending would leave every later part queued and never written
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p); // never half a part: its side-car would claim files that are not there
                } catch (IOException ignored) {
                    // the housekeeper removes what is left
                }
            }
            boolean full = diskFull(ex) || freeBytes() < limits.reserveBytes() + RESUME_MARGIN;
            log.atError().setMessage("archive write failed").addKeyValue("partId", i.part().partId())
                    .addKeyValue("seq", i.seq()).addKeyValue("error", ex.toString()).log();
            if (full) {
                pause("disk full: " + ex.getMessage());
            }
            drop(i, full ? Reason.DISK_FULL : Reason.IO_ERROR, ex.toString());
        }
    }

    /** ENOSPC or EDQUOT, as the JDK words them. */
    static boolean diskFull(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private void release(Entry e) {
        for (Shot s : e.shots()) {
            buffers.give(s.pixels());
        }
    }

    private void drop(Entry e, Reason why, String detail) {
        drop(e.inspection(), why, detail);
        release(e);
    }

    private void drop(Inspection i, Reason why, String detail) {
        dropped.incrementAndGet(why.ordinal());
        log.atWarn().setMessage("part's images not archived").addKeyValue("partId", i.part().partId())
                .addKeyValue("seq", i.seq()).addKeyValue("reason", why).addKeyValue("detail", detail).log();
        tell(ImageFate.dropped(i.part().partId(), i.seq(), why, detail, Instant.now()));
    }

    private void deletedPart(ImageFate fate) {
        deleted.incrementAndGet();
        tell(fate);
    }

    private void tell(ImageFate fate) {
        try {
            fates.record(fate);
        } catch (RuntimeException ex) {
            log.atError().setMessage("image fate not recorded").addKeyValue("partId", fate.partId())
                    .addKeyValue("state", fate.state()).addKeyValue("error", ex.toString()).log();
        }
    }

    private long freeBytes() {
        try {
            Files.createDirectories(root);
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: let the write itself fail and say why
        }
    }

    private void pause(String why) {
        if (!paused) {
            paused = true;
            pauseReason = why;
            nextHousekeeping = System.nanoTime(); // try to make room at once
            log.atError().setMessage("image archive paused").addKeyValue("reason", why).addKeyValue("root", root).log();
        }
    }

    private void housekeeping() {
        try {
            housekeeper.run(ArchiveHousekeeper.todayUtc());
        } catch (IOException | RuntimeException ex) {
            log.atWarn().setMessage("archive housekeeping failed").addKeyValue("error", ex.toString()).log();
        }
        if (paused && freeBytes() >= limits.reserveBytes() + RESUME_MARGIN) {
            paused = false;
            pauseReason = null;
            log.atWarn().setMessage("image archive resumed").addKeyValue("root", root).log();
        }
    }

    /** What the archive did since start. Any thread. */
    public Counts counts() {
        return new Counts(stored.get(), dropped.get(Reason.QUEUE_FULL.ordinal()), dropped.get(Reason.DISK_FULL.ordinal()),
                dropped.get(Reason.IO_ERROR.ordinal()), dropped.get(Reason.SHUTDOWN.ordinal()), deleted.get(),
                queue.bytes(), limits.queueBytes());
    }

    /** Parts stored since start. */
    public long written() {
        return stored.get();
    }

    /** Parts not stored since start, whatever the reason. */
    public long dropped() {
        return counts().dropped();
    }

    /** The archive is paused because the disk is full: show it as an alarm. */
    public boolean paused() {
        return paused;
    }

    public @Nullable String pauseReason() {
        return pauseReason;
    }

    public Path root() {
        return root;
    }

    /** False once the writer thread has ended while the archive is open: no image would be written any more. */
    public boolean writerAlive() {
        return !running || thread.isAlive();
    }

    /**
     * Stops taking parts, writes what is queued for up to the drain time, then records what is still queued as
     * DROPPED(SHUTDOWN) and waits for the part being written, so nothing writes into the archive once close returned.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Math.max(1, limits.drain().toMillis()));
            if (thread.isAlive()) {
                List<Entry> left = queue.drain();
                for (Entry e : left) {
                    drop(e, Reason.SHUTDOWN, "not written within the " + limits.drain().toSeconds()
                            + " s the archive drains at shutdown");
                }
                log.atWarn().setMessage("archive closed before its queue was written; the rest is recorded as dropped")
                        .addKeyValue("dropped", left.size()).log();
                thread.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
