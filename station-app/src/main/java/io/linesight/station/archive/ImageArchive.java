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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the images of rejected parts (always) and of sampled good parts: lossless PNG per shot (16-bit kept) plus a
 * JSON side-car with the verdict, under {@code archive/<date>/<recipe>/}. Copies the pixels on the deciding thread
 * (after the PLC was told) so the camera's buffers go back at once; encoding and writing happen on the
 * "archive-writer" thread. Its queue drops the oldest entry when full and counts it: the archive never slows
 * inspection.
 */
public final class ImageArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImageArchive.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Shot(String name, String camera, int width, int height, PixelFormat format, byte[] pixels) {
    }

    private record Entry(Inspection inspection, List<Shot> shots, Path dir) {
    }

    private final Path root;
    private final LinkedBlockingDeque<Entry> queue;
    private final Thread thread;
    private final AtomicLong okSeen = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    public ImageArchive(Path root, int capacity) {
        this.root = root;
        this.queue = new LinkedBlockingDeque<>(capacity);
        this.thread = Thread.ofPlatform().name("archive-writer").daemon(true).unstarted(this::loop);
        this.thread.start();
    }

    /**
     * Archives the part if the policy says so; returns the folder its files will be in, or null. Called on the
     * deciding thread while the part's frames are still held.
     */
    public String offer(Inspection inspection, AcquiredPart part, ArchivePolicy policy) {
        boolean keep = inspection.verdict().passed()
                ? policy.okEveryN() > 0 && okSeen.incrementAndGet() % policy.okEveryN() == 0
                : policy.rejects();
        if (!keep) {
            return null;
        }
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
        String recipe = inspection.recipe().replace('@', '_');
        Path dir = root.resolve(DAY.format(inspection.part().triggeredAt())).resolve(recipe);
        Entry e = new Entry(inspection, shots, dir);
        while (!queue.offerLast(e)) {
            if (queue.pollFirst() != null) {
                dropped.incrementAndGet();
            }
        }
        return root.relativize(dir).toString();
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
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
            try {
                write(e);
                written.incrementAndGet();
            } catch (IOException | RuntimeException ex) {
                failed.incrementAndGet();
                log.atError().setMessage("archive write failed").addKeyValue("partId", e.inspection().part().partId())
                        .addKeyValue("error", ex.toString()).log();
            }
        }
    }

    private static String stem(Inspection i) {
        return i.part().partId().replaceAll("[^A-Za-z0-9_.-]", "_") + "_" + i.seq();
    }

    private void write(Entry e) throws IOException {
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
        for (Shot s : e.shots()) {
            String file = stem(i) + "_" + s.name() + ".png";
            ImageIO.write(image(s), "png", e.dir().resolve(file).toFile());
            images.addObject().put("shot", s.name()).put("camera", s.camera()).put("file", file)
                    .put("width", s.width()).put("height", s.height()).put("pixelFormat", s.format().name());
        }
        Files.writeString(e.dir().resolve(stem(i) + ".json"), side.toPrettyString());
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

    public Path root() {
        return root;
    }

    /** Writes what is queued (up to 30 s), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
