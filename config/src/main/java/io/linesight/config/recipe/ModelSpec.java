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
 * @param provider        {@code cpu}, or {@code cuda} (falls back to CPU with a warning when CUDA cannot start)
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
        @Default("false") boolean allowUnevaluated) {

    public ModelSpec {
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
                threads, warmupRuns, mono16Window, false);
    }

    /** The minimum score for a class. */
    public double confidenceFor(String className) {
        return classConfidence.getOrDefault(className, confidence);
    }

    public boolean runsOn(String shot) {
        return shots.isEmpty() || shots.contains(shot);
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
