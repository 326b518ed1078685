/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.TruthBox;
import io.linesight.config.PixelFormat;
import io.linesight.inference.api.Detection;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.ShotDetections;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.archive.DatasetExport.LabelSource;
import io.linesight.station.archive.DatasetExport.Request;
import io.linesight.station.archive.DatasetExport.Results;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("export-dataset should turn archived parts into a training set")
class DatasetExportTest {
    static final Instant DAY1 = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant DAY2 = Instant.parse("2026-11-21T09:30:00Z");

    @TempDir
    Path dir;
    Path archive;

    static ImageArchive.Shot shot(String name) {
        return new ImageArchive.Shot(name, "cam0", 200, 100, PixelFormat.MONO8, new byte[200 * 100]);
    }

    static Inspection part(String id, long seq, Instant at, String recipe, Verdict v, List<ShotDetections> dets,
                           List<TruthBox> truth) {
        return new Inspection(new Part(id, 0, at, 1), seq, recipe, "m.onnx@abc", v, List.of(), dets, truth, at,
                Timings.NONE, null);
    }

    @BeforeEach
    void archiveThreeParts() {
        archive = dir.resolve("archive");
        try (ImageArchive a = new ImageArchive(archive, 64L << 20)) {
            // a reject with a confident and a faint detection on 'bright', nothing on 'dark'
            a.enqueue(part("A-1", 1, DAY1, "bracket@2", Verdict.Reject.of(ReasonCode.DEFECT_DETECTED, "scratch", "score 0.90"),
                    List.of(new ShotDetections("bright", List.of(new Detection(20, 10, 60, 30, 0, "scratch", 0.9f),
                            new Detection(100, 50, 120, 70, 1, "dent", 0.05f)))),
                    List.of(new TruthBox("scratch", 22, 12, 58, 28))), List.of(shot("bright"), shot("dark")));
            // a sampled good part
            a.enqueue(part("A-2", 2, DAY1.plusSeconds(60), "bracket@2", new Verdict.Pass(Map.of()), List.of(), List.of()),
                    List.of(shot("bright"), shot("dark")));
            // a reject of another recipe, the next day, its box partly outside the frame
            a.enqueue(part("B-3", 3, DAY2, "housing@1", Verdict.Reject.of(ReasonCode.DEFECT_DETECTED, "dent", "score 0.70"),
                    List.of(new ShotDetections("bright", List.of(new Detection(180, 80, 230, 120, 1, "dent", 0.7f)))),
                    List.of()), List.of(shot("bright")));
        }
    }

    Request request(Instant since, Instant until, Path to, LabelSource labels, Results results, String recipe, String shot) {
        return new Request(archive, since, until, to, labels, results, recipe, shot, 0.25, List.of());
    }

    @Test
    void detectionsBecomeYoloPreLabels_perShot_withClassesAndManifest() throws Exception {
        Path to = dir.resolve("ds");
        DatasetExport.Summary s = DatasetExport.run(request(DAY1.minusSeconds(3600), DAY2.plusSeconds(3600), to,
                LabelSource.DETECTIONS, Results.ALL, null, null));

        assertThat(s.parts()).isEqualTo(3);
        assertThat(s.rejects()).isEqualTo(2);
        assertThat(s.passes()).isEqualTo(1);
        assertThat(s.images()).isEqualTo(5);
        assertThat(s.boxes()).as("the 0.05 detection is under --min-score").isEqualTo(2);
        assertThat(Files.readAllLines(to.resolve("classes.txt"))).containsExactly("dent", "scratch");
        assertThat(to.resolve("images/A-1_1_bright.png")).isNotEmptyFile();
        // scratch (class 1 of dent, scratch) at 20..60 x 10..30 in a 200x100 frame
        assertThat(Files.readString(to.resolve("labels/A-1_1_bright.txt")))
                .isEqualTo("1 0.200000 0.200000 0.200000 0.200000\n");
        assertThat(to.resolve("labels/A-1_1_dark.txt")).as("a shot without detections is an empty label").isEmptyFile();
        assertThat(to.resolve("labels/A-2_2_bright.txt")).isEmptyFile();
        // clipped to the frame: x 180..200, y 80..100
        assertThat(Files.readString(to.resolve("labels/B-3_3_bright.txt"))).isEqualTo("0 0.950000 0.900000 0.100000 0.200000\n");
        List<String> manifest = Files.readAllLines(to.resolve("manifest.csv"));
        assertThat(manifest).hasSize(6);
        assertThat(manifest.get(1)).startsWith("images/A-1_1_bright.png,A-1,1,REJECT,bracket@2,m.onnx@abc,2026-11-20T08:00:00Z,detections,1,")
                .contains("DEFECT_DETECTED(scratch: score 0.90)");
    }

    @Test
    void windowResultRecipeAndShot_selectTheParts() throws Exception {
        DatasetExport.Summary day1 = DatasetExport.run(request(DatasetExport.parseWhen("2026-11-20", Instant.now()),
                DatasetExport.parseWhen("2026-11-21", Instant.now()), dir.resolve("d1"), LabelSource.DETECTIONS,
                Results.ALL, null, null));
        assertThat(day1.parts()).isEqualTo(2);

        DatasetExport.Summary rejects = DatasetExport.run(request(DAY1.minusSeconds(1), DAY2.plusSeconds(1), dir.resolve("d2"),
                LabelSource.DETECTIONS, Results.REJECT, "bracket", "bright"));
        assertThat(rejects.parts()).isEqualTo(1);
        assertThat(rejects.images()).isEqualTo(1);
        assertThat(dir.resolve("d2/images")).isDirectoryContaining(p -> p.getFileName().toString().equals("A-1_1_bright.png"));
    }

    @Test
    void truthLabels_applyToEveryShotOfThePart() throws Exception {
        Path to = dir.resolve("truth");
        DatasetExport.Summary s = DatasetExport.run(request(DAY1.minusSeconds(1), DAY1.plusSeconds(3600), to,
                LabelSource.TRUTH, Results.ALL, null, null));
        assertThat(s.boxes()).isEqualTo(2); // the one known scratch, on bright and on dark
        assertThat(Files.readString(to.resolve("labels/A-1_1_dark.txt"))).isEqualTo("0 0.200000 0.200000 0.180000 0.160000\n");
        assertThat(Files.readAllLines(to.resolve("classes.txt"))).containsExactly("scratch");
    }

    @Test
    void givenClassOrder_comesFirst_soLabelsMatchTheModel() throws Exception {
        Path to = dir.resolve("ordered");
        DatasetExport.run(new Request(archive, DAY1.minusSeconds(1), DAY2.plusSeconds(1), to, LabelSource.DETECTIONS,
                Results.ALL, null, null, 0.25, List.of("scratch", "dent", "contamination")));
        assertThat(Files.readAllLines(to.resolve("classes.txt"))).containsExactly("scratch", "dent", "contamination");
        assertThat(Files.readString(to.resolve("labels/A-1_1_bright.txt"))).startsWith("0 ");
    }

    @Test
    void nonEmptyTarget_isRefused_andNothingIsWritten() throws Exception {
        Path to = Files.createDirectories(dir.resolve("corrected"));
        Files.writeString(to.resolve("A-1_1_bright.txt"), "0 0.5 0.5 0.1 0.1\n");
        assertThatThrownBy(() -> DatasetExport.run(request(DAY1.minusSeconds(1), DAY2.plusSeconds(1), to,
                LabelSource.DETECTIONS, Results.ALL, null, null)))
                .hasMessageContaining("is not empty");
        try (var files = Files.list(to)) {
            assertThat(files.toList()).hasSize(1);
        }
    }

    @Test
    void times_areReadAsAnEngineerWritesThem() {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        assertThat(DatasetExport.parseWhen("24h", now)).isEqualTo(Instant.parse("2026-11-21T12:00:00Z"));
        assertThat(DatasetExport.parseWhen("7d", now)).isEqualTo(Instant.parse("2026-11-15T12:00:00Z"));
        assertThat(DatasetExport.parseWhen("90m", now)).isEqualTo(Instant.parse("2026-11-22T10:30:00Z"));
        assertThat(DatasetExport.parseWhen("2026-11-20", now)).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThatThrownBy(() -> DatasetExport.parseWhen("yesterday", now))
                .hasMessage("'yesterday' is not a time: use 2026-11-20, 2026-11-20T06:00:00Z, or how long ago (90m, 24h, 7d)");
    }
}
