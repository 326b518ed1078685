/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The defect detector of a recipe.
 *
 * @param path            ONNX file, relative to the recipe store (it cannot point outside it)
 * @param shots           shots the model runs on; empty means every shot
 * @param confidence      minimum score of a detection
 * @param classConfidence per-class minimum score, by class name, overriding {@code confidence}
 * @param iou             IoU above which NMS suppresses the weaker box
 * @param agnosticNms     suppress across classes, not only within one
 * @param maxDetections   keep at most this many boxes per frame
 * @param classNames      override the class names stored in the model
 * @param tiling          infer overlapping tiles of large frames, or none for one whole-frame pass
 * @param provider        {@code cpu}, {@code cuda} or {@code tensorrt} (TensorRT, with CUDA for the nodes TensorRT does
 *                        not take); a GPU provider that cannot start falls back to CPU with a warning and an alarm,
 *                        unless {@code gpu.cpuFallback} is false: then the model is refused
 * @param gpu             options of the GPU providers; null for their defaults
 * @param mono16Window    for 16-bit frames: the input range {@code [low, high]} mapped to 0..255
 * @param allowUnevaluated run the model although it has no {@link EvaluationRecord} for exactly this file (forced:
 *                         the line engineer takes the responsibility that {@code ./station eval} would have taken)
 */
public record ModelSpec(
        String path,
        List<String> shots,
        @Default("0.25") @Range(min = 0, max = 1) double confidence,
        Map<String, Double> classConfidence,
        @Default("0.45") @Range(min = 0, max = 1) double iou,
        @Default("false") boolean agnosticNms,
        @Default("100") @Range(min = 1, max = 10_000) int maxDetections,
        List<String> classNames,
        @Nullable TilingSpec tiling,
        @Default("cpu") String provider,
        @Default("1") @Range(min = 1, max = 64) int threads,
        @Default("1") @Range(min = 0, max = 100) int warmupRuns,
        @Nullable List<Integer> mono16Window,
        @Default("false") boolean allowUnevaluated,
        @Nullable GpuSpec gpu) {

    public ModelSpec {
        GpuSpec.checkDemand(gpu, provider);
        if (mono16Window != null && (mono16Window.size() != 2 || mono16Window.get(0) >= mono16Window.get(1))) {
            throw new IllegalArgumentException("mono16Window must be [low, high] with low < high");
        }
        for (Map.Entry<String, Double> e : classConfidence.entrySet()) {
            if (e.getValue() < 0 || e.getValue() > 1) {
                throw new IllegalArgumentException("classConfidence." + e.getKey() + ": " + e.getValue() + " must be 0..1");
            }
        }
    }

    /** A model spec that needs an evaluation record (tools and tests build these in code). */
    public ModelSpec(String path, List<String> shots, double confidence, Map<String, Double> classConfidence, double iou,
                     boolean agnosticNms, int maxDetections, List<String> classNames, @Nullable TilingSpec tiling,
                     String provider, int threads, int warmupRuns, @Nullable List<Integer> mono16Window) {
        this(path, shots, confidence, classConfidence, iou, agnosticNms, maxDetections, classNames, tiling, provider,
                threads, warmupRuns, mono16Window, false, null);
    }

    /** The GPU options in force: {@link #gpu()} or, without that section, the defaults. */
    public GpuSpec gpuOrDefaults() {
        return gpu == null ? GpuSpec.DEFAULTS : gpu;
    }

    /** Whether the recipe asks for a GPU provider ({@code cuda}, {@code tensorrt}). */
    public boolean wantsGpu() {
        return !provider.equals("cpu");
    }

    /** The minimum score for a class. */
    public double confidenceFor(String className) {
        return classConfidence.getOrDefault(className, confidence);
    }

    public boolean runsOn(String shot) {
        return shots.isEmpty() || shots.contains(shot);
    }

    /**
     * Options of ONNX Runtime's CUDA and TensorRT execution providers (ignored for {@code provider: cpu}).
     *
     * @param deviceId            CUDA device ordinal
     * @param cpuFallback         when the GPU provider cannot start (no GPU, no driver, CPU-only build, missing
     *                            CUDA/cuDNN libraries): true runs the model on CPU with a warning and the HMI's
     *                            "MODEL ON CPU" alarm; false refuses the model, so the recipe is refused (a station
     *                            does not start on it, a change-over to it is refused) instead of running 20x slower
     * @param cudnnConvAlgoSearch cuDNN convolution algorithm search: {@code exhaustive} (best kernels, slower first
     *                            run), {@code heuristic}, {@code default}
     * @param memoryLimitMiB      the CUDA arena's limit in MiB; 0 for no limit
     * @param arenaExtend         how the arena grows: {@code next-power-of-two} or {@code same-as-requested} (tighter,
     *                            more allocations while shapes still change)
     * @param tensorrtFp16        TensorRT may run layers in FP16
     * @param tensorrtCacheDir    folder for TensorRT's engine cache (building an engine takes minutes); null for none
     */
    public record GpuSpec(
            @Default("0") @Range(min = 0, max = 63) int deviceId,
            @Default("true") boolean cpuFallback,
            @Default("exhaustive") String cudnnConvAlgoSearch,
            @Default("0") @Range(min = 0, max = 1_048_576) int memoryLimitMiB,
            @Default("next-power-of-two") String arenaExtend,
            @Default("false") boolean tensorrtFp16,
            @Nullable String tensorrtCacheDir) {

        /** The execution providers a model section may name. */
        public static final List<String> PROVIDERS = List.of("cpu", "cuda", "tensorrt");

        /** Refuses {@code cpuFallback: false} (a GPU demanded) together with {@code provider: cpu}. */
        static void checkDemand(@Nullable GpuSpec gpu, String provider) {
            if (gpu != null && !gpu.cpuFallback() && provider.equals("cpu")) {
                throw new IllegalArgumentException("gpu.cpuFallback: false demands a GPU, but provider is cpu "
                        + "(set provider: cuda or tensorrt)");
            }
        }

        /** The values {@link #cudnnConvAlgoSearch()} takes. */
        public static final List<String> CONV_ALGO_SEARCH = List.of("exhaustive", "heuristic", "default");
        /** The values {@link #arenaExtend()} takes. */
        public static final List<String> ARENA_EXTEND = List.of("next-power-of-two", "same-as-requested");
        /** What a recipe without a {@code gpu} section gets (after the lists: the constructor checks against them). */
        public static final GpuSpec DEFAULTS = new GpuSpec(0, true, "exhaustive", 0, "next-power-of-two", false, null);

        public GpuSpec {
            if (!CONV_ALGO_SEARCH.contains(cudnnConvAlgoSearch)) {
                throw new IllegalArgumentException("gpu.cudnnConvAlgoSearch: '" + cudnnConvAlgoSearch
                        + "' must be one of: " + String.join(", ", CONV_ALGO_SEARCH));
            }
            if (!ARENA_EXTEND.contains(arenaExtend)) {
                throw new IllegalArgumentException("gpu.arenaExtend: '" + arenaExtend + "' must be one of: "
                        + String.join(", ", ARENA_EXTEND));
            }
        }
    }

    /**
     * Overlapping tiles for large frames.
     *
     * @param size       tile edge in frame pixels
     * @param overlap    overlap between neighbouring tiles in pixels
     * @param wholeFrame also run one pass on the whole frame (for defects larger than a tile)
     */
    public record TilingSpec(
            @Range(min = 32, max = 8192) int size,
            @Default("64") @Range(min = 0, max = 4096) int overlap,
            @Default("false") boolean wholeFrame) {

        public TilingSpec {
            if (overlap >= size) {
                throw new IllegalArgumentException("tiling.overlap must be smaller than tiling.size");
            }
        }
    }
}
