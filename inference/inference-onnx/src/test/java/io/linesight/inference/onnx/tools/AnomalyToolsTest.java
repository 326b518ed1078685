/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.inference.onnx.anomaly.AnomalyModel;
import io.linesight.inference.onnx.anomaly.AnomalyModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("learn-good and eval-anomaly should")
class AnomalyToolsTest {
    @TempDir
    Path dir;

    @Test
    void refuseAMissingOutputWithUsageAndWriteNothing() {
        ToolOutput o = new ToolOutput();
        int rc = LearnGoodTool.run(List.of("--images", dir.toString()), o.out, o.err);
        assertThat(rc).isEqualTo(2);
        assertThat(o.err()).startsWith("learn-good: --out is required").contains("usage: learn-good");
    }

    @Test
    void refuseAnImageFolderWithoutImagesNamingIt() throws Exception {
        ToolOutput o = new ToolOutput();
        int rc = LearnGoodTool.run(List.of("--images", dir.toString(), "--out", dir.resolve("m.anomaly").toString()),
                o.out, o.err);
        assertThat(rc).isEqualTo(1);
        assertThat(o.err()).isEqualTo("learn-good: " + dir + ": holds no images (png, jpg, jpeg, bmp, gif)"
                + System.lineSeparator());
        assertThat(dir.resolve("m.anomaly")).doesNotExist();
    }

    @Test
    void refuseASizeThatIsNoMultipleOf32() {
        ToolOutput o = new ToolOutput();
        int rc = LearnGoodTool.run(List.of("--images", dir.toString(), "--out", "m", "--size", "100"), o.out, o.err);
        assertThat(rc).isEqualTo(2);
        assertThat(o.err()).startsWith("learn-good: --size 100 must be a multiple of 32");
    }

    @Test
    void refuseAShiftThatIsNoWholeNumberOfPixelsOrTooFar() {
        ToolOutput half = new ToolOutput();
        assertThat(LearnGoodTool.run(List.of("--images", dir.toString(), "--out", "m", "--shift", "2.5"), half.out,
                half.err)).isEqualTo(2);
        assertThat(half.err()).startsWith("learn-good: --shift '2.5' is not a whole number");
        ToolOutput far = new ToolOutput();
        assertThat(LearnGoodTool.run(List.of("--images", dir.toString(), "--out", "m", "--shift", "300"), far.out,
                far.err)).isEqualTo(2);
        assertThat(far.err()).startsWith("learn-good: --shift 300 must be 0..256");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void learnAModelLikeAnotherWithItsSettings_exceptWhatIsGiven() throws Exception {
        Path images = Files.createDirectories(dir.resolve("good"));
        for (int i = 0; i < 6; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(96, 64,
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            java.util.Random r = new java.util.Random(i);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 96; x++) {
                    img.getRaster().setSample(x, y, 0, 120 + (int) (20 * Math.sin(y * 0.8 + i)) + r.nextInt(9));
                }
            }
            javax.imageio.ImageIO.write(img, "png", images.resolve("g" + i + ".png").toFile());
        }
        Path first = dir.resolve("first.anomaly");
        ToolOutput o = new ToolOutput();
        assertThat(LearnGoodTool.run(List.of("--images", images.toString(), "--out", first.toString(), "--scale", "0.5",
                "--standardise", "--border", "1", "--top-k", "2", "--shift", "3", "--target-frr", "0.05",
                "--more-scales", "1.0:2", "--max-bank", "300", "--threads", "1"), o.out, o.err)).as(o.err()).isZero();

        Path second = dir.resolve("second.anomaly");
        ToolOutput o2 = new ToolOutput();
        assertThat(LearnGoodTool.run(List.of("--images", images.toString(), "--out", second.toString(), "--like",
                first.toString(), "--top-k", "4", "--threads", "1"), o2.out, o2.err)).as(o2.err()).isZero();
        assertThat(o2.err()).contains("settings like " + first);

        AnomalyModelInfo a = AnomalyModel.learning(first).info();
        AnomalyModelInfo b = AnomalyModel.learning(second).info();
        assertThat(b.topK()).as("given beside --like").isEqualTo(4);
        assertThat(b.backboneSha256()).isEqualTo(a.backboneSha256());
        assertThat(b.backbone()).isEqualTo(a.backbone());
        assertThat(List.of(b.layers(), b.scale(), b.standardise(), b.border(), b.shift(), b.targetFrr(), b.mirrored()))
                .isEqualTo(List.of(a.layers(), 0.5, true, 1, 3, 0.05, false));
        assertThat(b.scales()).extracting(AnomalyModelInfo.Scale::scale, AnomalyModelInfo.Scale::border)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1.0, 2));
        assertThat(b.bankSize()).isLessThanOrEqualTo(300);
    }

    @Test
    void refuseToLearnLikeAFileThatIsNoModel_namingIt() throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.anomaly"), "not a zip");
        ToolOutput o = new ToolOutput();
        int rc = LearnGoodTool.run(List.of("--images", dir.toString(), "--out", dir.resolve("m.anomaly").toString(),
                "--like", bogus.toString()), o.out, o.err);
        assertThat(rc).isEqualTo(1);
        assertThat(o.err()).startsWith("learn-good: --like: " + bogus + ": not an anomaly model file");
        assertThat(dir.resolve("m.anomaly")).doesNotExist();
    }

    @Test
    void refuseFurtherScalesThatAreNotScaleColonBorderOrLackAFirstScale() {
        ToolOutput o = new ToolOutput();
        int rc = LearnGoodTool.run(List.of("--images", dir.toString(), "--out", "m", "--scale", "0.5", "--more-scales",
                "1.0:4,big"), o.out, o.err);
        assertThat(rc).isEqualTo(2);
        assertThat(o.err()).startsWith("learn-good: --more-scales: 'big' is not SCALE:BORDER (e.g. 1.0:4)");

        ToolOutput fixed = new ToolOutput();
        rc = LearnGoodTool.run(List.of("--images", dir.toString(), "--out", "m", "--more-scales", "1.0:4"), fixed.out,
                fixed.err);
        assertThat(rc).isEqualTo(2);
        assertThat(fixed.err()).startsWith("learn-good: further scales need a first scale (scale > 0)");
    }

    @Test
    void refuseAModelFileThatIsNotOneNamingIt() throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.anomaly"), "not a zip");
        ToolOutput o = new ToolOutput();
        int rc = EvalAnomalyTool.run(List.of("--model", bogus.toString(), "--good", dir.toString(), "--defects",
                dir.toString()), o.out, o.err);
        assertThat(rc).isEqualTo(1);
        assertThat(o.err()).startsWith("eval-anomaly: " + bogus + ": not an anomaly model file");
        assertThat(o.out()).isEmpty();
    }
}
