/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.PixelFormat;
import io.linesight.inference.api.Detection;
import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.inspect.Inspection;
import io.linesight.station.inspect.Timings;
import io.linesight.station.part.Part;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the image archive should")
class ImageArchiveTest {
    static final Instant AT = Instant.parse("2025-03-03T08:00:00Z");

    @TempDir
    Path dir;

    static Inspection reject(String partId, long seq) {
        RuleResult hole = new RuleResult("hole", "top", false, ReasonCode.RULE_FAILED, "diameter 3.1 < 3.8",
                List.of(), List.of(new Overlay.Box(10, 10, 20, 20, false, "hole")), 0);
        ShotDetections ds = new ShotDetections("top", List.of(new Detection(40, 40, 60, 60, 0, "scratch", 0.9f)));
        return new Inspection(new Part(partId, 0, AT, 1), seq, "bracket@2", "m.onnx", Verdict.Reject.of(
                ReasonCode.RULE_FAILED, "hole", "too small"), List.of(hole), List.of(ds), List.of(), AT, Timings.NONE, null);
    }

    static ImageArchive.Shot mono16(int w, int h) {
        byte[] px = new byte[w * h * 2];
        for (int k = 0; k < w * h; k++) {
            int v = 1000 + k; // values above 255 only survive if 16 bits are kept
            px[2 * k] = (byte) v;
            px[2 * k + 1] = (byte) (v >> 8);
        }
        return new ImageArchive.Shot("top", "cam0", w, h, PixelFormat.MONO16, px);
    }

    @Test
    void reject_keepsTheRaw16BitFrame_aColourOverlay_andASideCar() throws Exception {
        Path folder;
        try (ImageArchive archive = new ImageArchive(dir, 8)) {
            folder = dir.resolve(archive.enqueue(reject("P/1", 7), List.of(mono16(100, 80))));
        }
        assertThat(folder).isEqualTo(dir.resolve("2025-03-03").resolve("bracket_2"));
        BufferedImage raw = ImageIO.read(folder.resolve("P_1_7_top.png").toFile());
        assertThat(raw.getType()).isEqualTo(BufferedImage.TYPE_USHORT_GRAY);
        short[] px = ((DataBufferUShort) raw.getRaster().getDataBuffer()).getData();
        assertThat(px[0] & 0xFFFF).isEqualTo(1000);
        assertThat(px[500] & 0xFFFF).isEqualTo(1500);

        BufferedImage overlay = ImageIO.read(folder.resolve("P_1_7_top_overlay.png").toFile());
        assertThat(overlay.getRGB(10, 20) & 0xFFFFFF).as("failed rule box in red").isEqualTo(OverlayRenderer.FAIL.getRGB() & 0xFFFFFF);
        assertThat(overlay.getRGB(40, 50) & 0xFFFFFF).as("detection in orange")
                .isEqualTo(OverlayRenderer.DETECTION.getRGB() & 0xFFFFFF);
        int grey = overlay.getRGB(80, 75);
        assertThat((grey >> 16) & 0xFF).as("untouched pixels stay grey").isEqualTo(grey & 0xFF);

        JsonNode side = new ObjectMapper().readTree(folder.resolve("P_1_7.json").toFile());
        assertThat(side.get("result").asText()).isEqualTo("REJECT");
        assertThat(side.at("/images/0/overlay").asText()).isEqualTo("P_1_7_top_overlay.png");
        assertThat(side.at("/detections/0/class").asText()).isEqualTo("scratch");
    }

    @Test
    void fullDisk_pausesTheArchive_andCountsWhatItSkipped() throws Exception {
        // A reserve no disk can meet stands for a full disk: a real one cannot be made here without root tricks.
        try (ImageArchive archive = new ImageArchive(dir, 8, 1L << 30, 30, Long.MAX_VALUE / 2)) {
            archive.enqueue(reject("A", 1), List.of(mono16(10, 10)));
            long until = System.nanoTime() + 5_000_000_000L;
            while (!archive.paused() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(archive.paused()).isTrue();
            assertThat(archive.pauseReason()).contains("disk");
            archive.enqueue(reject("B", 2), List.of(mono16(10, 10)));
            while (archive.skipped() < 2 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(archive.skipped()).isEqualTo(2);
            assertThat(archive.written()).isZero();
        }
        assertThat(Files.exists(dir.resolve("2025-03-03"))).isFalse();
    }

    @Test
    void housekeeping_deletesDaysPastRetention_thenOldestFilesPastQuota() throws Exception {
        Path old = Files.createDirectories(dir.resolve("2025-01-01/bracket_1"));
        Files.write(old.resolve("x.png"), new byte[1000]);
        Files.createDirectories(dir.resolve("not-a-day"));
        Files.write(dir.resolve("not-a-day/keep.txt"), new byte[5000]);
        Path d1 = Files.createDirectories(dir.resolve("2025-03-01/bracket_1"));
        Path d2 = Files.createDirectories(dir.resolve("2025-03-02/bracket_1"));
        for (int k = 0; k < 5; k++) {
            Files.write(d1.resolve("a" + k + ".png"), new byte[1000]);
            Files.write(d2.resolve("b" + k + ".png"), new byte[1000]);
        }
        ArchiveHousekeeper hk = new ArchiveHousekeeper(dir, 6500, 30);
        long freed = hk.run(LocalDate.parse("2025-03-03"));
        assertThat(old.getParent()).doesNotExist();
        assertThat(freed).isEqualTo(1000 + 4000);
        assertThat(hk.bytes()).isEqualTo(6000);
        assertThat(d1.resolve("a4.png")).exists();
        assertThat(Files.list(d1).count()).as("oldest day lost its oldest files first").isEqualTo(1);
        assertThat(Files.list(d2).count()).isEqualTo(5);
        assertThat(dir.resolve("not-a-day/keep.txt")).as("nothing outside day folders is touched").exists();
    }
}
