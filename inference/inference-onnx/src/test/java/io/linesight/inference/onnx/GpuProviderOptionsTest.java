/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.ModelSpec.GpuSpec;
import org.junit.jupiter.api.Test;

/**
 * The recipe's GPU section as the option strings ONNX Runtime's CUDA and TensorRT providers take. This checks the
 * translation only: whether a GPU honours them (the arena limit, the algorithm search) shows on a GPU machine
 * (benchmarks/gpu/run.sh runs the inference tests there).
 */
class GpuProviderOptionsTest {

    @Test
    void defaults_exhaustiveSearch_noArenaLimit_device0() {
        assertThat(GpuProviderOptions.cuda(GpuSpec.DEFAULTS))
                .containsEntry("device_id", "0")
                .containsEntry("cudnn_conv_algo_search", "EXHAUSTIVE")
                .containsEntry("arena_extend_strategy", "kNextPowerOfTwo")
                .doesNotContainKey("gpu_mem_limit");
    }

    @Test
    void recipeOptions_becomeCudaProviderOptions() {
        GpuSpec gpu = new GpuSpec(1, false, "heuristic", 2048, "same-as-requested", false, null);
        assertThat(GpuProviderOptions.cuda(gpu))
                .containsEntry("device_id", "1")
                .containsEntry("cudnn_conv_algo_search", "HEURISTIC")
                .containsEntry("gpu_mem_limit", Long.toString(2048L << 20))
                .containsEntry("arena_extend_strategy", "kSameAsRequested");
    }

    @Test
    void tensorrt_fp16AndEngineCache_onlyWhenAsked() {
        assertThat(GpuProviderOptions.tensorrt(GpuSpec.DEFAULTS)).containsEntry("trt_fp16_enable", "0")
                .doesNotContainKeys("trt_engine_cache_enable", "trt_engine_cache_path", "trt_max_workspace_size");
        GpuSpec gpu = new GpuSpec(0, true, "exhaustive", 1024, "next-power-of-two", true, "/var/lib/linesight/trt");
        assertThat(GpuProviderOptions.tensorrt(gpu)).containsEntry("trt_fp16_enable", "1")
                .containsEntry("trt_engine_cache_enable", "1")
                .containsEntry("trt_engine_cache_path", "/var/lib/linesight/trt")
                .containsEntry("trt_max_workspace_size", Long.toString(1024L << 20));
    }

    @Test
    void describe_isOneLineOfKeyValuePairs() {
        assertThat(GpuProviderOptions.describe(GpuProviderOptions.cuda(GpuSpec.DEFAULTS)))
                .isEqualTo("device_id=0, cudnn_conv_algo_search=EXHAUSTIVE, arena_extend_strategy=kNextPowerOfTwo, "
                        + "do_copy_in_default_stream=1");
    }
}
