/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linesight.config.recipe.EvaluationRecord;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detect and eval tools on the shared model and images, as the station CLI will call them. */
class ToolsTest {
    private static Path shared;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void findShared() {
        String p = System.getProperty("linesight.shared");
        assumeTrue(p != null && Files.isDirectory(Path.of(p, "models")),
                "shared fixtures folder (system property linesight.shared) is absent: tool runs skipped");
        shared = Path.of(p);
    }

    private Path model() {
        return shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
    }

    private Path image(String name) {
        return shared.resolve("datasets/ultralytics-samples").resolve(name);
    }

    @Test
    void detect_printsATableWithTheBus() {
        int rc = DetectTool.run(List.of("--model", model().toString(), "--image", image("bus.jpg").toString()), out, err);
        assertThat(rc).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("5 detections").contains("bus").contains("person");
    }

    @Test
    void detect_json_holdsBoxesInImagePixels() {
        int rc = DetectTool.run(List.of("--model", model().toString(), "--image", image("bus.jpg").toString(), "--json"), out, err);
        assertThat(rc).isZero();
        String json = outBytes.toString(StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"image\":").contains("\"class\":\"bus\"").contains("\"box\":[");
    }

    @Test
    void missingArgument_isAUsageError() {
        int rc = EvalTool.run(List.of("--model", "m.onnx"), out, err);
        assertThat(rc).isEqualTo(2);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("--dataset is required").contains("usage: eval");
    }

    @Test
    void missingModel_isAnErrorNamingTheFile() {
        int rc = DetectTool.run(List.of("--model", "nowhere.onnx", "--image", image("bus.jpg").toString()), out, err);
        assertThat(rc).isEqualTo(1);
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("nowhere.onnx");
    }

    /** bus.jpg with YOLO txt labels, zidane.jpg with VOC XML, and a plain grey image without labels. */
    @Test
    void eval_onAThreeImageSet_reportsEveryFigure(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(image("bus.jpg"), images.resolve("bus.jpg"));
        Files.copy(image("zidane.jpg"), images.resolve("zidane.jpg"));
        BufferedImage grey = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = grey.createGraphics();
        g.setColor(new java.awt.Color(128, 128, 128));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        ImageIO.write(grey, "png", images.resolve("good.png").toFile());
        // published boxes (REFERENCE_DETECTIONS.md A), normalised for 810x1080
        Files.createDirectories(dir.resolve("labels"));
        StringBuilder yolo = new StringBuilder();
        double[][] bus = {{5, 22.87, 231.28, 805.00, 756.84}, {0, 48.55, 398.55, 245.35, 902.70},
                {0, 669.47, 392.19, 809.72, 877.04}, {0, 221.52, 405.80, 344.97, 857.54}, {0, 0.0, 550.53, 63.01, 873.44}};
        for (double[] b : bus) {
            yolo.append(String.format(java.util.Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", (int) b[0], (b[1] + b[3]) / 2 / 810,
                    (b[2] + b[4]) / 2 / 1080, (b[3] - b[1]) / 810, (b[4] - b[2]) / 1080));
        }
        Files.writeString(dir.resolve("labels/bus.txt"), yolo);
        Files.createDirectories(dir.resolve("annotations"));
        Files.writeString(dir.resolve("annotations/zidane.xml"), """
                <annotation><size><width>1280</width><height>720</height></size>
                <object><name>person</name><bndbox><xmin>749.5</xmin><ymin>43.5</ymin><xmax>1148</xmax><ymax>704.5</ymax></bndbox></object>
                <object><name>person</name><bndbox><xmin>113.5</xmin><ymin>196</ymin><xmax>1093</xmax><ymax>711</ymax></bndbox></object>
                <object><name>tie</name><bndbox><xmin>437.5</xmin><ymin>433.5</ymin><xmax>529.5</xmax><ymax>717.5</ymax></bndbox></object>
                <object><name>tie</name><bndbox><xmin>1090</xmin><ymin>312</ymin><xmax>1135</xmax><ymax>410</ymax></bndbox></object>
                </annotation>""");

        int rc = EvalTool.run(List.of("--model", model().toString(), "--dataset", dir.toString(), "--json"), out, err);
        assertThat(rc).as(errBytes.toString(StandardCharsets.UTF_8)).isZero();
        String json = outBytes.toString(StandardCharsets.UTF_8);
        System.out.println(json);
        assertThat(json).contains("\"images\":3,\"defectImages\":2,\"goodImages\":1,\"unlabelledImages\":1")
                .contains("\"escapeRate\":0.00000").contains("\"overkillRate\":0.00000")
                .contains("\"name\":\"bus\"").contains("\"name\":\"tie\"");

        outBytes.reset();
        assertThat(EvalTool.run(List.of("--model", model().toString(), "--dataset", dir.toString()), out, err)).isZero();
        String text = outBytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(text).contains("mAP@0.5 ").contains("confusion matrix").contains("background");

        // --record: the evaluation record a recipe needs, tied to this exact file (a copy: never write into shared/)
        Path copy = Files.copy(model(), dir.resolve("m.onnx"));
        outBytes.reset();
        assertThat(EvalTool.run(List.of("--model", copy.toString(), "--dataset", dir.toString(), "--conf", "0.3",
                "--record"), out, err)).isZero();
        Path recordFile = EvaluationRecord.fileFor(copy);
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("evaluation record written: " + recordFile.toAbsolutePath());
        EvaluationRecord record = EvaluationRecord.read(recordFile);
        assertThat(record.sha256()).isEqualTo(EvaluationRecord.sha256(copy));
        assertThat(record.images()).isEqualTo(3);
        assertThat(record.escapeRate()).isZero();
        assertThat(record.map50()).isBetween(0.0, 1.0);
        assertThat(Files.readString(recordFile)).contains("\"conf\":0.300000").contains("\"model\":\"m.onnx\"");
    }
}
