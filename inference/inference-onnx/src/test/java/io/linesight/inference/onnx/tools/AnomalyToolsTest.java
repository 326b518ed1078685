/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import static org.assertj.core.api.Assertions.assertThat;

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
