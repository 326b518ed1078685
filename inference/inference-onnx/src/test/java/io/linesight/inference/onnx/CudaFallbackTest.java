/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The CUDA path on a machine without CUDA. No mock: the build uses the CPU-only ONNX Runtime artifact and this
 * machine has no GPU, so {@code addCUDA} really fails; the detector must say so once and run on CPU.
 */
class CudaFallbackTest {

    @Test
    void cudaRequested_withoutCuda_warnsOnceWithTheCause_andRunsOnCpu() throws Exception {
        Path shared = Specs.shared();
        assumeTrue(shared != null && Files.isDirectory(shared.resolve("models")),
                "shared fixtures folder (system property linesight.shared) is absent");
        assumeTrue(!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this ONNX Runtime has CUDA: the fallback cannot be provoked here");
        Path model = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        Logger log = (Logger) LoggerFactory.getLogger(SessionFactory.class);
        ListAppender<ILoggingEvent> app = new ListAppender<>();
        app.start();
        log.addAppender(app);
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7, Map.of(), false, 100, null, "cuda", 0), model)) {
            assertThat(d.info().executionProvider()).isEqualTo("CPU");
            assertThat(app.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("CUDA").contains("CPU")
                            .contains("OrtException"));
        } finally {
            log.detachAppender(app);
        }
    }

    @Test
    void unknownProvider_isRefusedListingTheKnownOnes() throws Exception {
        Path shared = Specs.shared();
        assumeTrue(shared != null && Files.isDirectory(shared.resolve("models")), "shared fixtures folder is absent");
        Path model = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxDetector.open(
                        Specs.spec(0.25, 0.7, Map.of(), false, 100, null, "tpu", 0), model))
                .hasMessageContaining("'tpu'").hasMessageContaining("cpu, cuda");
    }
}
