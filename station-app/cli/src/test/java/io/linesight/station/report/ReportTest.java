/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.judge.Reason;
import io.linesight.rules.RuleResult;
import io.linesight.rules.overlay.Overlay;
import io.linesight.station.archive.ArchiveTesting;
import io.linesight.station.archive.ImageArchive;
import io.linesight.station.archive.OverlayRenderer;
import io.linesight.station.archive.ShotOverlays;
import io.linesight.config.PixelFormat;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.inference.api.Detection;
import io.linesight.station.archive.ImageFate;
import io.linesight.station.cli.StationCli;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import io.linesight.station.store.ImageRecord;
import io.linesight.station.store.ResultsStore;
import io.linesight.station.store.StoreWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("station report should")
class ReportTest {
    static final Instant T0 = Instant.parse("2025-03-03T06:00:00Z");

    @TempDir
    Path dir;

    /**
     * 200 parts over two hours (100 each, latency k ms), rejects: 6 DEFECT_DETECTED (scratch ×4 parts, dent ×2), 2
     * TIMEOUT; recipes bracket@1 (first hour) and housing@4 (second); one alarm of 15 min and one of 10 min that
     * overlap by 5 min.
     */
    @BeforeEach
    void knownRows() throws Exception {
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            List<StoreWriter.Entry> rows = new ArrayList<>();
            for (int k = 1; k <= 200; k++) {
                Instant at = T0.plusSeconds(k * 36L - 1);
                String recipe = k <= 100 ? "bracket@1" : "housing@4";
                Verdict v = new Verdict.Pass(Map.of());
                List<ShotDetections> ds = List.of();
                if (k % 25 == 0) {
                    v = Verdict.Reject.of(ReasonCode.DEFECT_DETECTED, "model", "");
                    String cls = k % 100 == 0 ? "dent" : "scratch";
                    ds = List.of(new ShotDetections("top", List.of(new Detection(0, 0, 1, 1, 0, cls, 0.9f))));
                } else if (k == 33 || k == 133) {
                    v = Verdict.Reject.of(ReasonCode.TIMEOUT, "watchdog", "");
                }
                long nanos = k * 1_000_000L;
                rows.add(new StoreWriter.Entry(new Inspection(new Part("P" + k, 0, at, 1), k, recipe, "", v, List.of(),
                        ds, List.of(), at, new Timings(0, 0, 0, 0, nanos), null), false, null));
            }
            store.write(rows);
            long a = store.raiseAlarm("CAMERA_FAULT", "top", "cable", T0.plusSeconds(600));
            store.clearAlarm(a, T0.plusSeconds(600 + 900));
            long b = store.raiseAlarm("STORE_UNAVAILABLE", "results-store", "", T0.plusSeconds(1200));
            store.clearAlarm(b, T0.plusSeconds(1200 + 600));
        }
    }

    @Test
    void collect_givesTheNumbersOfTheKnownRows() throws Exception {
        ReportData d;
        try (ResultsStore store = ResultsStore.openSqlite(dir, "", "")) {
            d = ReportData.collect(store.queries(), T0, T0.plus(Duration.ofHours(2)));
        }
        assertThat(d.parts()).isEqualTo(200);
        assertThat(d.rejected()).isEqualTo(10);
        assertThat(d.yield()).isEqualTo(0.95);
        assertThat(d.hours()).extracting(h -> h.parts()).containsExactly(100L, 100L);
        assertThat(d.reasons()).extracting(c -> c.key() + "=" + c.count()).containsExactly("DEFECT_DETECTED=8", "TIMEOUT=2");
        assertThat(d.classes()).extracting(c -> c.key() + "=" + c.count()).containsExactly("scratch=6", "dent=2");
        assertThat(d.recipes()).extracting(r -> r.recipe() + "@" + r.version() + "=" + r.parts() + "/" + r.rejected())
                .containsExactly("bracket@1=100/5", "housing@4=100/5");
        assertThat(d.latency().p50()).isEqualTo(100);
        assertThat(d.latency().p99()).isEqualTo(198);
        assertThat(d.latency().max()).isEqualTo(200);
        assertThat(d.downtimeMs()).as("15 min and 10 min overlapping by 5 min").isEqualTo(20 * 60_000);
    }

    @Test
    void commandLine_printsTextCsvAndHtml_forTheRange() throws Exception {
        String text = run("report", "--data-dir", dir.toString(), "--from", "2025-03-03T06:00:00Z", "--to",
                "2025-03-03T08:00:00Z");
        assertThat(text).contains("parts 200  passed 190  rejected 10  yield 95.00 %").contains("DEFECT_DETECTED")
                .contains("downtime (alarms active) 0h20m00s over 2 alarm(s)").contains("housing");
        String csv = run("report", "--data-dir", dir.toString(), "--from", "2025-03-03T06:00:00Z", "--to",
                "2025-03-03T08:00:00Z", "--format", "csv");
        assertThat(csv).startsWith("section,key,parts,passed,rejected,value\n")
                .contains("\nreason,DEFECT_DETECTED,,,8,\n").contains("\nrecipe,bracket@1,100,95,5,0.950000\n")
                .contains("\ndowntime_s,alarms,,,,1200.00\n");
        String html = run("report", "--data-dir", dir.toString(), "--from", "2025-03-03T06:00:00Z", "--to",
                "2025-03-03T08:00:00Z", "--format", "html");
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<b id=\"parts\">200</b>").contains("<svg")
                .contains("@media print").doesNotContain("<script");
    }

    @Test
    void commandLine_refusesABadTime_andAMissingDatabase_namingThem() throws Exception {
        assertThat(run("report", "--data-dir", dir.toString(), "--from", "yesterday")).contains("--from: rejected 'yesterday'");
        assertThat(run("report", "--data-dir", dir.resolve("nowhere").toString())).contains("no results database")
                .contains("nowhere");
    }

    @Test
    void archiveCommand_printsThePartsRecord_andSaysWhenItWasNotArchived() throws Exception {
        assertThat(run("archive", "--part", "P25", "--data-dir", dir.toString()))
                .contains("part P25  seq 25  station l1/s1  REJECT").contains("images: not archived (the recipe's");
        assertThat(run("archive", "--part", "P1", "--data-dir", dir.toString())).contains("images: not archived");
        assertThat(run("archive", "--part", "nope", "--data-dir", dir.toString())).contains("not in the results store");
    }

    @Test
    void archiveCommand_listsTheSideCarAndImagesOfAnArchivedPart() throws Exception {
        Instant at = T0.plus(Duration.ofDays(1));
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            store.write(List.of(new StoreWriter.Entry(new Inspection(new Part("X/9", 0, at, 1), 500, "bracket@1", "",
                    Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole", ""), List.of(), List.of(), List.of(), at,
                    Timings.NONE, null), false, "2025-03-04/bracket_1")));
        }
        Path folder = java.nio.file.Files.createDirectories(dir.resolve("archive/2025-03-04/bracket_1"));
        for (String f : List.of("X_9_500.json", "X_9_500_top.png", "X_9_500_top_overlay.png", "X_9_5000.json")) {
            java.nio.file.Files.writeString(folder.resolve(f), "x");
        }
        String out = run("archive", "--part", "X/9", "--data-dir", dir.toString());
        assertThat(out).contains("record: " + folder.resolve("X_9_500.json").toAbsolutePath())
                .contains("image:  " + folder.resolve("X_9_500_top.png").toAbsolutePath())
                .contains("image:  " + folder.resolve("X_9_500_top_overlay.png").toAbsolutePath())
                .doesNotContain("X_9_5000");
    }

    @Test
    void aPartWhoseImagesWereDropped_isSaidSo_byArchiveAndReport() throws Exception {
        Instant at = T0.plusSeconds(30);
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            store.write(List.of(new StoreWriter.Entry(new Inspection(new Part("D/1", 0, at, 1), 900, "bracket@1", "",
                    Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole", ""), List.of(), List.of(), List.of(), at,
                    Timings.NONE, null), false, "2025-03-03/bracket_1")));
            store.writeRecords(List.of(ImageRecord.of(new ImageFate("D/1", 900, ImageFate.State.DROPPED,
                    ImageFate.Reason.QUEUE_FULL, null, "9.5 MiB waiting, queue holds 8.0 MiB", at.plusMillis(3)),
                    "l1", "s1")));
        }
        assertThat(run("archive", "--part", "D/1", "--data-dir", dir.toString()))
                .contains("images: not archived, dropped " + at.plusMillis(3) + ": archive queue full (9.5 MiB waiting")
                .doesNotContain("retention");
        assertThat(run("report", "--data-dir", dir.toString(), "--from", "2025-03-03T06:00:00Z", "--to",
                "2025-03-03T08:00:00Z")).contains("stored 0  not archived 1 (archive queue full 1)  deleted 0");
        assertThat(run("report", "--data-dir", dir.toString(), "--from", "2025-03-03T06:00:00Z", "--to",
                "2025-03-03T08:00:00Z", "--format", "html")).contains("<b id=\"not-archived\">1</b>");
    }

    /**
     * The whole way, as in a station: the archive's queue (1,000 bytes) cannot take the part, the archive records the
     * drop through the results writer's spool, the writer stores it, and the offline commands read it back.
     */
    @Test
    void aPartTheArchiveDropped_isSaidSo_afterItsFateWentThroughTheSpool() throws Exception {
        Instant at = T0.plusSeconds(40);
        Inspection part = new Inspection(new Part("Q/1", 0, at, 1), 901, "bracket@1", "",
                Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole", ""), List.of(), List.of(), List.of(), at, Timings.NONE, null);
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            StoreWriter writer = new StoreWriter(store, dir.resolve("spool"), 1L << 30);
            try (ImageArchive archive = new ImageArchive(dir.resolve("archive"),
                    ImageArchive.Limits.defaults().withQueueBytes(1000), writer::submit)) {
                String folder = ArchiveTesting.enqueue(archive, part, "top", 100, 80, PixelFormat.MONO8,
                        ArchiveTesting.noise(8000, 1));
                writer.submit(new StoreWriter.Entry(part, false, folder));
                assertThat(archive.counts().queueFull()).isEqualTo(1);
            }
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (writer.pending() > 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            writer.close();
            assertThat(writer.pending()).as("the writer stored the row and the fate").isZero();
        }
        assertThat(run("archive", "--part", "Q/1", "--data-dir", dir.toString()))
                .contains("images: not archived, dropped ").contains(": archive queue full (")
                .doesNotContain("retention").doesNotContain("no record");
        assertThat(run("report", "--data-dir", dir.toString(), "--from", "2025-01-01T00:00:00Z", "--to",
                "2100-01-01T00:00:00Z")).contains("stored 0  not archived 1 (archive queue full 1)  deleted 0");
    }

    @Test
    void archiveCommand_drawsTheOverlaysOfAStoredPart_withTheRendererTheHmiUses() throws Exception {
        Instant at = Instant.now();
        Inspection part = new Inspection(new Part("O/1", 0, at, 1), 901, "bracket@1", "",
                Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole", ""), List.of(new RuleResult("hole",
                "top", false, ReasonCode.RULE_FAILED, "", List.of(), List.of(new Overlay.Box(
                4, 4, 20, 10, false, "hole")), 0)), List.of(new ShotDetections("top", List.of(new Detection(30, 20, 50,
                40, 0, "scratch", 0.8f)))), List.of(), at, Timings.NONE, null);
        byte[] grey = ArchiveTesting.noise(64 * 48, 5);
        String folder;
        try (ImageArchive archive = new ImageArchive(
                dir.resolve("archive"), 1L << 20)) {
            folder = ArchiveTesting.enqueue(archive, part, "top", 64, 48,
                    PixelFormat.MONO8, grey);
        }
        try (ResultsStore store = ResultsStore.openSqlite(dir, "l1", "s1")) {
            store.write(List.of(new StoreWriter.Entry(part, false, folder)));
            store.writeRecords(List.of(new ImageRecord("l1", "s1", "O/1", 901, "STORED", "", folder, "",
                    at.toEpochMilli())));
        }
        Path drawn = dir.resolve("drawn");
        String out = run("archive", "--part", "O/1", "--data-dir", dir.toString(), "--overlays", drawn.toString());
        assertThat(out).contains("images: stored").contains("drawn:  " + drawn.resolve("O_1_901_top_overlay.png"));
        BufferedImage png = ImageIO.read(drawn.resolve("O_1_901_top_overlay.png").toFile());
        int[] expected = OverlayRenderer.render(64, 48, grey,
                ShotOverlays.of(part, "top"), 1.0, new int[64 * 48]);
        assertThat(png.getRGB(0, 0, 64, 48, null, 0, 64)).isEqualTo(expected);
    }

    @Test
    void report_saysWhatTheSpoolStillHolds() throws Exception {
        java.nio.file.Path spool = java.nio.file.Files.createDirectories(dir.resolve("spool"));
        java.nio.file.Files.writeString(spool.resolve("spool-0000000001.jsonl"), "{\"seq\":1}\n{\"seq\":2}\n");
        assertThat(run("report", "--data-dir", dir.toString(), "--from", "2025-03-03T06:00:00Z", "--to",
                "2025-03-03T08:00:00Z")).contains("2 results on the station's spool, not yet in the database");
    }

    private static String run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new StationCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
