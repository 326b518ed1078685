/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.PixelFormat;
import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.archive.ImageFate.Reason;
import io.linesight.station.archive.ImageFate.State;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.station.part.AcquiredPart;
import io.linesight.station.part.ShotFrame;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("the image archive should")
class ImageArchiveTest {
    static final Instant AT = Instant.now();

    @TempDir
    Path dir;

    final List<ImageFate> fates = new CopyOnWriteArrayList<>();

    static Inspection reject(String partId, long seq) {
        RuleResult hole = new RuleResult("hole", "top", false, ReasonCode.RULE_FAILED, "diameter 3.1 < 3.8",
                List.of(), List.of(new Overlay.Box(10, 10, 20, 20, false, "hole"),
                new Overlay.Circle(50, 40, 8, true, "ring")), 0);
        ShotDetections ds = new ShotDetections("top", List.of(new Detection(40, 40, 60, 60, 2, "scratch", 0.9f)));
        return new Inspection(new Part(partId, 0, AT, 1), seq, "bracket@2", "m.onnx", Verdict.Reject.of(
                ReasonCode.RULE_FAILED, "hole", "too small"), List.of(hole), List.of(ds), List.of(), AT, Timings.NONE, null);
    }

    /** Noise, so that the encoder has something to lose if it were lossy; 16-bit values above 255 and up to the format's maximum. */
    static ImageArchive.Shot shot(String name, int w, int h, PixelFormat f, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[w * h * f.bytesPerPixel()];
        if (f == PixelFormat.MONO8) {
            r.nextBytes(px);
        } else {
            ByteBuffer b = ByteBuffer.wrap(px).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < w * h; k++) {
                b.putShort((short) r.nextInt(f.maxValue() + 1));
            }
        }
        return new ImageArchive.Shot(name, "cam0", w, h, f, px);
    }

    ImageArchive archive(ImageArchive.Limits limits) {
        return new ImageArchive(dir, limits, fates::add);
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void storedImage_isBitIdenticalToTheFrame(PixelFormat format) throws Exception {
        ImageArchive.Shot top = shot("top", 101, 67, format, 1);
        Path folder;
        try (ImageArchive archive = archive(ImageArchive.Limits.defaults())) {
            folder = dir.resolve(archive.enqueue(reject("P/1", 7), List.of(top)));
        }
        BufferedImage img = ImageIO.read(folder.resolve("P_1_7_top.png").toFile());
        assertThat(img.getWidth()).isEqualTo(101);
        byte[] decoded;
        if (format == PixelFormat.MONO8) {
            assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
            decoded = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        } else {
            assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_USHORT_GRAY);
            short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
            ByteBuffer b = ByteBuffer.allocate(px.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.asShortBuffer().put(px);
            decoded = b.array();
        }
        assertThat(decoded).as("every pixel as the camera delivered it").isEqualTo(top.pixels());
    }

    @Test
    void reject_keepsASideCarWithOverlaysAsVectors_drawsNoOverlayImage_andSaysStored() throws Exception {
        Path folder;
        try (ImageArchive archive = archive(ImageArchive.Limits.defaults())) {
            folder = dir.resolve(archive.enqueue(reject("P/1", 7), List.of(shot("top", 100, 80, PixelFormat.MONO16, 2))));
        }
        JsonNode side = new ObjectMapper().readTree(folder.resolve("P_1_7.json").toFile());
        assertThat(side.get("format").asInt()).isEqualTo(2);
        assertThat(side.get("result").asText()).isEqualTo("REJECT");
        assertThat(side.at("/images/0/file").asText()).isEqualTo("P_1_7_top.png");
        assertThat(side.at("/images/0/pixelFormat").asText()).isEqualTo("MONO16");
        assertThat(side.at("/images/0/overlays/0/type").asText()).isEqualTo("box");
        assertThat(side.at("/images/0/overlays/1/r").asDouble()).isEqualTo(8);
        assertThat(side.at("/detections/0/class").asText()).isEqualTo("scratch");
        assertThat(ShotOverlays.fromSideCar(side, "top")).isEqualTo(ShotOverlays.of(reject("P/1", 7), "top"));
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("P_1_7.json", "P_1_7_top.png");
        }
        assertThat(fates).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.STORED);
            assertThat(f.seq()).isEqualTo(7);
            assertThat(dir.resolve(f.folder())).isEqualTo(folder);
        });
    }

    @Test
    void partLargerThanTheQueue_isDroppedAtOnce_asQueueFull() throws Exception {
        try (ImageArchive archive = archive(ImageArchive.Limits.defaults().withQueueBytes(1000))) {
            archive.enqueue(reject("BIG", 3), List.of(shot("top", 100, 80, PixelFormat.MONO8, 3)));
            assertThat(archive.counts().queueFull()).isEqualTo(1);
        }
        assertThat(fates).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.DROPPED);
            assertThat(f.reason()).isEqualTo(Reason.QUEUE_FULL);
            assertThat(f.detail()).contains("MiB");
        });
    }

    @Test
    void queue_boundedInBytes_dropsTheOldestToMakeRoom() {
        ArchiveQueue<byte[]> q = new ArchiveQueue<>(100, b -> b.length);
        assertThat(q.offer(new byte[40])).isEmpty();
        byte[] second = new byte[40];
        assertThat(q.offer(second)).isEmpty();
        byte[] third = new byte[50];
        List<byte[]> dropped = q.offer(third);
        assertThat(dropped).hasSize(1).first().extracting(b -> b.length).isEqualTo(40);
        assertThat(q.bytes()).isEqualTo(90);
        assertThat(q.drain()).containsExactly(second, third);
    }

    @Test
    void shutdown_writesWithinTheDrainTime_andRecordsEveryOtherPartAsDropped() throws Exception {
        int parts = 40;
        try (ImageArchive archive = archive(ImageArchive.Limits.defaults().withDrain(Duration.ofMillis(1)))) {
            for (int k = 1; k <= parts; k++) {
                archive.enqueue(reject("S" + k, k), List.of(shot("top", 640, 480, PixelFormat.MONO8, k)));
            }
        }
        Map<Long, List<ImageFate>> bySeq = fates.stream().collect(Collectors.groupingBy(ImageFate::seq));
        assertThat(bySeq).as("one fate per part").hasSize(parts).allSatisfy((seq, f) -> assertThat(f).hasSize(1));
        List<ImageFate> shutdown = fates.stream().filter(f -> f.reason() == Reason.SHUTDOWN).toList();
        assertThat(shutdown).as("a 1 ms drain cannot write 40 parts").isNotEmpty();
        for (ImageFate f : fates) {
            Path sideCar = dir.resolve(ImageArchive.folder(dir, reject("S" + f.seq(), f.seq())))
                    .resolve(ImageArchive.stem(f.partId(), f.seq()) + ".json");
            assertThat(Files.exists(sideCar)).as("side-car of " + f.partId() + " " + f.state())
                    .isEqualTo(f.state() == State.STORED);
        }
    }

    @Test
    void fullDisk_pausesTheArchive_andRecordsEachPartAsDroppedDiskFull() throws Exception {
        // A reserve no disk can meet stands for a full disk here; FullDiskIT fills a real one.
        try (ImageArchive archive = archive(ImageArchive.Limits.defaults().withReserveBytes(Long.MAX_VALUE / 2))) {
            archive.enqueue(reject("A", 1), List.of(shot("top", 10, 10, PixelFormat.MONO8, 1)));
            long until = System.nanoTime() + 5_000_000_000L;
            while (!archive.paused() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(archive.paused()).isTrue();
            assertThat(archive.pauseReason()).contains("disk");
            archive.enqueue(reject("B", 2), List.of(shot("top", 10, 10, PixelFormat.MONO8, 2)));
            while (archive.counts().diskFull() < 2 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(archive.counts().diskFull()).isEqualTo(2);
            assertThat(archive.written()).isZero();
        }
        assertThat(fates).extracting(ImageFate::reason).containsExactly(Reason.DISK_FULL, Reason.DISK_FULL);
        try (Stream<Path> days = Files.list(dir)) {
            assertThat(days.filter(Files::isDirectory)).isEmpty();
        }
    }

    @Test
    void aPartThatCouldNotBeWritten_leavesNoPixelArrayToTwoLaterParts() throws Exception {
        // the write of A fails (a file stands where its day folder goes); the pixel array its copy used goes back to
        // the pool once: given back twice, B and C would share one array and B would be archived with C's pixels
        Inspection a = reject("A", 1);
        Path day = ImageArchive.folder(dir, a).getParent();
        Files.writeString(day, "not a folder");
        try (ImageArchive archive = archive(ImageArchive.Limits.defaults())) {
            archive.copyAndQueue(a, part("A", 10));
            long until = System.nanoTime() + 5_000_000_000L;
            while (fates.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(fates).singleElement().extracting(ImageFate::reason).isEqualTo(Reason.IO_ERROR);
            Files.delete(day);
            archive.copyAndQueue(reject("B", 2), part("B", 20)); // B and C queued back to back, before B is written
            archive.copyAndQueue(reject("C", 3), part("C", 30));
        }
        for (String[] p : new String[][] {{"B", "2", "20"}, {"C", "3", "30"}}) {
            byte[] px = ArchiveTesting.mono8(ImageArchive.folder(dir, reject(p[0], 0)).resolve(p[0] + "_" + p[1] + "_top.png"));
            assertThat(px).as("part %s's pixels", p[0]).containsOnly((byte) Integer.parseInt(p[2]));
        }
        assertThat(fates).extracting(ImageFate::state).containsExactly(State.DROPPED, State.STORED, State.STORED);
    }

    @Test
    void pixelArrayGivenBackTwice_isHeldOnce() {
        PixelBuffers pool = new PixelBuffers(1 << 20);
        byte[] b = new byte[64];
        pool.give(b);
        pool.give(b);
        assertThat(pool.take(64)).isSameAs(b);
        assertThat(pool.take(64)).as("a fresh array, not the one handed out").isNotSameAs(b);
    }

    private static AcquiredPart part(String id, int grey) {
        byte[] px = new byte[32 * 24];
        java.util.Arrays.fill(px, (byte) grey);
        return new AcquiredPart(io.linesight.station.part.Part.triggeredNow(id, 1000), null,
                List.of(new ShotFrame("top", "cam0", FrameImages.mono8Frame(px, 32, 24))), 0);
    }

    /** A part as the archive writes it: side-car naming its image, with a chosen age. */
    static void part(Path folder, String partId, long seq, int imageBytes, long modifiedMs) throws Exception {
        Files.createDirectories(folder);
        String stem = ImageArchive.stem(partId, seq);
        Files.write(folder.resolve(stem + "_top.png"), new byte[imageBytes]);
        Files.writeString(folder.resolve(stem + ".json"), """
                {"format":2,"partId":"%s","seq":%d,"images":[{"shot":"top","file":"%s_top.png"}]}""".formatted(
                partId, seq, stem));
        for (Path p : List.of(folder.resolve(stem + "_top.png"), folder.resolve(stem + ".json"))) {
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(modifiedMs));
        }
    }

    @Test
    void housekeeping_deletesDaysPastRetention_thenOldestWholePartsPastQuota_andSaysWhichParts() throws Exception {
        List<ImageFate> gone = new ArrayList<>();
        part(dir.resolve("2025-01-01/bracket_1"), "OLD", 1, 1000, 1_000);
        Files.createDirectories(dir.resolve("not-a-day"));
        Files.write(dir.resolve("not-a-day/keep.txt"), new byte[5000]);
        for (int k = 0; k < 5; k++) {
            part(dir.resolve("2025-03-01/bracket_1"), "A" + k, 10 + k, 1000, 10_000 + k);
            part(dir.resolve("2025-03-02/bracket_1"), "B" + k, 20 + k, 1000, 20_000 + k);
        }
        ArchiveHousekeeper hk = new ArchiveHousekeeper(dir, 7500, 30, gone::add);
        hk.run(LocalDate.parse("2025-03-03"));
        assertThat(dir.resolve("2025-01-01")).doesNotExist();
        Map<String, ImageFate> byPart = gone.stream().collect(Collectors.toMap(ImageFate::partId, Function.identity()));
        assertThat(byPart.get("OLD").reason()).isEqualTo(Reason.RETENTION);
        assertThat(byPart.get("OLD").folder()).isEqualTo("2025-01-01/bracket_1");
        long sideCarBytes = Files.size(dir.resolve("2025-03-02/bracket_1/B0_20.json"));
        // 10 parts of 1000 + a side-car each, quota 7500: the oldest parts of the oldest day go, whole
        int quotaParts = (int) Math.ceil((10 * (1000 + sideCarBytes) - 7500) / (double) (1000 + sideCarBytes));
        assertThat(gone.stream().filter(f -> f.reason() == Reason.QUOTA).map(ImageFate::partId))
                .containsExactlyElementsOf(List.of("A0", "A1", "A2", "A3", "A4").subList(0, quotaParts));
        assertThat(gone).allSatisfy(f -> assertThat(f.state()).isEqualTo(State.DELETED));
        List<String> expected = new ArrayList<>();
        for (int k = quotaParts; k < 5; k++) {
            expected.add("A" + k + "_" + (10 + k) + ".json");
            expected.add("A" + k + "_" + (10 + k) + "_top.png");
        }
        try (Stream<Path> left = Files.list(dir.resolve("2025-03-01/bracket_1"))) {
            assertThat(left.map(p -> p.getFileName().toString()).toList())
                    .as("no side-car without its image, no image without its side-car")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(dir.resolve("not-a-day/keep.txt")).as("nothing outside day folders is touched").exists();
    }

    @Test
    void sideCarOfAnOlderArchive_staysReadable_itsDetectionsDrawn_noRuleVectors() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("2025-03-03/bracket_2"));
        byte[] grey = ArchiveTesting.noise(40 * 30, 9);
        BufferedImage raw = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(grey, 0, ((DataBufferByte) raw.getRaster().getDataBuffer()).getData(), 0, grey.length);
        ImageIO.write(raw, "png", folder.resolve("P_3_top.png").toFile());
        Files.writeString(folder.resolve("P_3.json"), """
                {"partId":"P","seq":3,"result":"REJECT","images":[{"shot":"top","camera":"cam0","file":"P_3_top.png",
                 "width":40,"height":30,"pixelFormat":"MONO8","overlay":"P_3_top_overlay.png"}],
                 "detections":[{"shot":"top","class":"dent","score":0.7,"box":[5,5,20,15]}]}""");
        ArchivedPart part = ArchivedPart.read(folder.resolve("P_3.json"));
        assertThat(part.format()).isEqualTo(1);
        assertThat(part.grey("top").pixels()).isEqualTo(grey);
        ShotOverlays o = part.overlays("top");
        assertThat(o.rules()).isEmpty();
        assertThat(o.detections()).extracting(Detection::className).containsExactly("dent");
        assertThat(part.drawn("top").getRGB(5, 10) & 0xffffff).as("the detection's box, amber")
                .isEqualTo(OverlayRenderer.DETECTION.getRGB() & 0xffffff);
    }
}
