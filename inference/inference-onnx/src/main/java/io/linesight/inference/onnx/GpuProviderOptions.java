/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import io.linesight.config.recipe.ModelSpec.GpuSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A recipe's {@link GpuSpec} as the key/value options ONNX Runtime's CUDA and TensorRT execution providers take
 * ({@code OrtCUDAProviderOptions.add}, {@code OrtTensorRTProviderOptions.add}). Kept apart from the session code so
 * that the translation is checked on machines without a GPU; whether ONNX Runtime honours the options shows only on a
 * GPU (benchmarks/gpu/run.sh).
 */
final class GpuProviderOptions {
    private GpuProviderOptions() {
    }

    /** CUDA provider options: device, cuDNN algorithm search, arena limit and growth. */
    static Map<String, String> cuda(GpuSpec gpu) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("device_id", Integer.toString(gpu.deviceId()));
        o.put("cudnn_conv_algo_search", gpu.cudnnConvAlgoSearch().toUpperCase(Locale.ROOT));
        if (gpu.memoryLimitMiB() > 0) {
            o.put("gpu_mem_limit", Long.toString(gpu.memoryLimitMiB() * 1024L * 1024L));
        }
        o.put("arena_extend_strategy", gpu.arenaExtend().equals("same-as-requested") ? "kSameAsRequested" : "kNextPowerOfTwo");
        // copies on the compute stream: the input upload is ordered with the kernels without an extra sync
        o.put("do_copy_in_default_stream", "1");
        return o;
    }

    /** TensorRT provider options: device, FP16, engine cache. */
    static Map<String, String> tensorrt(GpuSpec gpu) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("device_id", Integer.toString(gpu.deviceId()));
        o.put("trt_fp16_enable", gpu.tensorrtFp16() ? "1" : "0");
        if (gpu.memoryLimitMiB() > 0) {
            o.put("trt_max_workspace_size", Long.toString(gpu.memoryLimitMiB() * 1024L * 1024L));
        }
        if (gpu.tensorrtCacheDir() != null) {
            o.put("trt_engine_cache_enable", "1");
            o.put("trt_engine_cache_path", gpu.tensorrtCacheDir());
        }
        return o;
    }

    /** One line for the start-up log and diagnostics: {@code device 0, cudnn_conv_algo_search EXHAUSTIVE, …}. */
    static String describe(Map<String, String> options) {
        StringBuilder b = new StringBuilder();
        options.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
