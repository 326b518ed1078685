/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.ModelSpec.GpuSpec;
import io.linesight.inference.api.InferenceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A recipe that demands a GPU ({@code provider: cuda} or {@code tensorrt} with {@code gpu.cpuFallback: false}) on a
 * machine where CUDA cannot start must be refused, not run on CPU. No mock: with the CPU build of ONNX Runtime the
 * CUDA provider really is absent, and with the GPU build ({@code -Pcuda}) on a machine without an NVIDIA driver and
 * CUDA libraries its library really fails to load. On a machine where CUDA starts these tests are skipped: there the
 * model runs on the GPU, which benchmarks/gpu/run.sh shows.
 */
class GpuDemandTest {
    private static final GpuSpec DEMAND = new GpuSpec(0, false, "exhaustive", 0, "next-power-of-two", false, null);
    private static Path model;
    private final Logger log = (Logger) LoggerFactory.getLogger(SessionFactory.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeAll
    static void cudaCannotStartHere() throws Exception {
        Path demo = Specs.demoModel();
        assumeTrue(demo != null, "the demo model is absent from this checkout");
        model = demo;
        try (OnnxDetector d = OnnxDetector.open(spec("cuda", null), model)) {
            assumeTrue(d.info().executionProvider().equals("CPU"),
                    "CUDA starts on this machine: the refusal cannot be provoked here");
        }
    }

    @BeforeEach
    void capture() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void release() {
        log.detachAppender(logged);
    }

    private static ModelSpec spec(String provider, @Nullable GpuSpec gpu) {
        return new ModelSpec(model.toString(), List.of(), 0.25, Map.of(), 0.45, false, 100, List.of(), null, provider, 1, 0,
                null, false, gpu);
    }

    @Test
    void cudaDemanded_withoutCuda_isRefusedNamingTheCause_andNothingRunsOnCpu() {
        assertThatThrownBy(() -> OnnxDetector.open(spec("cuda", DEMAND), model))
                .isInstanceOf(InferenceException.class)
                .satisfies(e -> assertThat(((InferenceException) e).code()).isEqualTo(InferenceException.Code.LOAD_FAILED))
                .hasMessageContaining(model.toString())
                .hasMessageContaining("demands CUDA (model.gpu.cpuFallback: false)")
                .hasMessageContaining("could not start on device 0: OrtException")
                .hasMessageContaining("not run on CPU");
        assertThat(logged.list).as("no session was opened, on CPU or elsewhere")
                .noneMatch(e -> e.getFormattedMessage().contains(" runs on "));
    }

    @Test
    void tensorrtDemanded_withoutGpu_triesTensorrtThenCuda_andIsRefused() {
        assertThatThrownBy(() -> OnnxDetector.open(spec("tensorrt", DEMAND), model))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("demands TensorRT/CUDA (model.gpu.cpuFallback: false)");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("TensorRT execution provider could not start")
                        .contains("trying CUDA"));
    }

    @Test
    void cudaAllowedToFallBack_runsOnCpu_logsWhyAndWhereItRuns() throws Exception {
        SessionFactory.Opened opened = SessionFactory.open(model, "cuda", 1, GpuSpec.DEFAULTS);
        try (var session = opened.session()) {
            assertThat(session.getInputNames()).containsExactly("images");
            assertThat(opened.provider()).isEqualTo("CPU");
            assertThat(opened.fallbackCause()).startsWith("OrtException");
            assertThat(opened.detail()).startsWith("fallback from CUDA: OrtException");
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.INFO).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains("bracket-defects.onnx runs on CPU (requested cuda; fallback from CUDA"));
    }

    @Test
    void cpuFallbackFalse_withProviderCpu_isAContradictionInTheRecipe() {
        assertThatThrownBy(() -> spec("cpu", DEMAND)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpu.cpuFallback: false demands a GPU, but provider is cpu");
    }
}
