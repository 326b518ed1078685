/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linesight.camera.api.Frame;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.ArchivePolicy;
import io.linesight.station.inspect.Inspection;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.store.ResultJson;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the images of rejected parts (always) and of sampled good parts: lossless PNG per shot (16-bit kept), a colour
 * PNG with the rule overlays and detections drawn on it, and a JSON side-car with the verdict, under
 * {@code archive/<date>/<recipe>/}. Copies the pixels on the deciding thread (after the PLC was told) so the camera's
 * buffers go back at once; encoding and writing happen on the "archive-writer" thread. Its queue drops the oldest
 * entry when full and counts it: the archive never slows inspection.
 *
 * <p>The same thread keeps the archive inside its limits (retention by age, disk quota with oldest-first deletion)
 * every minute. When the disk is full (a write fails, or free space falls under the reserve) the archive pauses:
 * {@link #paused()} is the alarm, parts offered meanwhile are counted in {@link #skipped()} and not archived, and it
 * resumes by itself once there is room again. Inspection never waits for it.
 */
public final class ImageArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImageArchive.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A copy of one shot's pixels, rows packed (no stride). */
    record Shot(String name, String camera, int width, int height, PixelFormat format, byte[] pixels) {
    }

    private static final long HOUSEKEEPING_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long RETRY_PAUSED_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Entry(Inspection inspection, List<Shot> shots, Path dir) {
    }

    private final Path root;
    private final LinkedBlockingDeque<Entry> queue;
    private final Thread thread;
    private final AtomicLong okSeen = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final ArchiveHousekeeper housekeeper;
    private final long reserveBytes;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile @Nullable String pauseReason;
    private long nextHousekeeping;

    /** An archive with the defaults: 2 GiB quota, 30 days, 256 MiB of disk kept free. */
    public ImageArchive(Path root, int capacity) {
        this(root, capacity, 2048L << 20, 30, 256L << 20);
    }

    /**
     * @param capacity      entries waiting to be written; past it the oldest is dropped
     * @param quotaBytes    what the archive may hold; the oldest files go first past it
     * @param retentionDays day folders older than this are deleted
     * @param reserveBytes  free disk space under which the archive pauses rather than fill the disk
     */
    public ImageArchive(Path root, int capacity, long quotaBytes, int retentionDays, long reserveBytes) {
        this.root = root;
        this.housekeeper = new ArchiveHousekeeper(root, quotaBytes, retentionDays);
        this.reserveBytes = reserveBytes;
        this.queue = new LinkedBlockingDeque<>(capacity);
        this.thread = Thread.ofPlatform().name("archive-writer").daemon(true).unstarted(this::loop);
        this.thread.start();
    }

    /**
     * Whether the policy keeps this part's images (and the archive is not paused); returns the folder its files will
     * be in, relative to the root, or null. Cheap: no pixels are touched, so the result can go to the store at once.
     */
    public @Nullable String admit(Inspection inspection, ArchivePolicy policy) {
        boolean keep = inspection.verdict().passed()
                ? policy.okEveryN() > 0 && okSeen.incrementAndGet() % policy.okEveryN() == 0
                : policy.rejects();
        if (!keep) {
            return null;
        }
        if (paused) {
            skipped.incrementAndGet();
            return null;
        }
        return root.relativize(folder(root, inspection)).toString();
    }

    /**
     * Copies an admitted part's frames (so the camera's buffers go back at once) and queues them for writing. Called
     * on the deciding thread while the part's frames are still held.
     */
    public void copyAndQueue(Inspection inspection, AcquiredPart part) {
        List<Shot> shots = new ArrayList<>(part.shots().size());
        for (ShotFrame sf : part.shots()) {
            Frame f = sf.frame();
            byte[] copy = new byte[f.width() * f.height() * f.pixelFormat().bytesPerPixel()];
            ByteBuffer src = f.pixels();
            int rowBytes = f.width() * f.pixelFormat().bytesPerPixel();
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
        while (!queue.offerLast(e)) {
            if (queue.pollFirst() != null) {
                dropped.incrementAndGet();
            }
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

    private void loop() {
        while (running || !queue.isEmpty()) {
            long now = System.nanoTime();
            if (now >= nextHousekeeping) {
                housekeeping();
                nextHousekeeping = now + (paused ? RETRY_PAUSED_NANOS : HOUSEKEEPING_NANOS);
            }
            Entry e;
            try {
                e = queue.pollFirst(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
            if (e == null) {
                continue;
            }
            if (paused) {
                skipped.incrementAndGet();
                continue;
            }
            try {
                if (freeBytes() < reserveBytes) {
                    pause("disk almost full: " + freeBytes() / (1 << 20) + " MiB free, reserve "
                            + reserveBytes / (1 << 20) + " MiB");
                    skipped.incrementAndGet();
                    continue;
                }
                housekeeper.added(write(e));
                written.incrementAndGet();
            } catch (IOException | RuntimeException ex) {
                failed.incrementAndGet();
                log.atError().setMessage("archive write failed").addKeyValue("partId", e.inspection().part().partId())
                        .addKeyValue("error", ex.toString()).log();
                if (ex instanceof IOException && freeBytes() < reserveBytes + (64L << 20)) {
                    pause("disk full: " + ex.getMessage());
                }
            }
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
        if (paused && freeBytes() >= reserveBytes) {
            paused = false;
            pauseReason = null;
            log.atWarn().setMessage("image archive resumed").addKeyValue("root", root).log();
        }
    }

    private static String stem(Inspection i) {
        return stem(i.part().partId(), i.seq());
    }

    /** Writes one part's files; returns the bytes written. */
    private long write(Entry e) throws IOException {
        Files.createDirectories(e.dir());
        Inspection i = e.inspection();
        ObjectNode side = JSON.createObjectNode();
        side.put("partId", i.part().partId());
        side.put("seq", i.seq());
        side.put("result", i.verdict().passed() ? "PASS" : "REJECT");
        side.put("recipe", i.recipe());
        side.put("model", i.model());
        side.put("triggeredAt", i.part().triggeredAt().toString());
        side.put("decidedAt", i.decidedAt().toString());
        side.put("latencyMs", i.latencyMs());
        side.set("reasons", JSON.readTree(ResultJson.reasons(i.verdict().reasons())));
        side.set("measurements", JSON.readTree(ResultJson.measurements(i.rules())));
        side.set("detections", JSON.readTree(ResultJson.detections(i.detections())));
        side.set("truth", JSON.readTree(ResultJson.truth(i.truth())));
        var images = side.putArray("images");
        long bytes = 0;
        for (Shot s : e.shots()) {
            String file = stem(i) + "_" + s.name() + ".png";
            Path raw = e.dir().resolve(file);
            if (!ImageIO.write(image(s), "png", raw.toFile())) {
                throw new IOException("no PNG writer for " + s.format() + " (" + raw + ")");
            }
            bytes += Files.size(raw);
            ObjectNode img = images.addObject().put("shot", s.name()).put("camera", s.camera()).put("file", file)
                    .put("width", s.width()).put("height", s.height()).put("pixelFormat", s.format().name());
            if (OverlayRenderer.hasOverlays(i, s.name())) {
                String overlay = stem(i) + "_" + s.name() + "_overlay.png";
                ImageIO.write(OverlayRenderer.render(s, i), "png", e.dir().resolve(overlay).toFile());
                bytes += Files.size(e.dir().resolve(overlay));
                img.put("overlay", overlay);
            }
        }
        Path json = e.dir().resolve(stem(i) + ".json");
        Files.writeString(json, side.toPrettyString());
        return bytes + Files.size(json);
    }

    static BufferedImage image(Shot s) {
        if (s.format() == PixelFormat.MONO8) {
            BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            System.arraycopy(s.pixels(), 0, dst, 0, dst.length);
            return img;
        }
        BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_USHORT_GRAY);
        short[] dst = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        ByteBuffer.wrap(s.pixels()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(dst);
        return img;
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Parts that should have been archived but were not because the archive was paused (disk full). */
    public long skipped() {
        return skipped.get();
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

    /**
     * Writes what is queued (up to 30 s), then stops. Past that, what is still queued is dropped (counted and
     * logged) and close waits for the file being written, so nothing writes into the archive once close returned.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
            if (thread.isAlive()) {
                List<Entry> left = new ArrayList<>();
                queue.drainTo(left);
                dropped.addAndGet(left.size());
                log.atWarn().setMessage("archive closed before its queue was written; the rest is dropped")
                        .addKeyValue("dropped", left.size()).log();
                thread.join(30_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
