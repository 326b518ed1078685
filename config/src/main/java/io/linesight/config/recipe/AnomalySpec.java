/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import org.jspecify.annotations.Nullable;

/**
 * The anomaly model of one shot: a model learned from good parts only ({@code ./station learn-good}) that rejects a
 * part as {@code ANOMALY} when its image is unlike them.
 *
 * @param model            the anomaly model file, relative to the recipe store (it cannot point outside it)
 * @param threshold        image score above which the part is anomalous; null for the model's own or {@code targetFrr}
 * @param targetFrr        the false-reject rate on good parts to set the threshold for, from the good images the model
 *                         was calibrated on; null for the model's own threshold. Not together with {@code threshold}
 * @param roi              the part of the frame the model looks at (frame pixels); null for the whole frame
 * @param mask             a grey image of the frame's size in the recipe store: patches where it is white (128 and
 *                         above) are left out of the score (fixtures, edges); null for none
 * @param threads          ONNX Runtime intra-op threads of each worker's backbone and bank search sessions
 * @param provider         where the model's backbone runs: {@code cpu}, {@code cuda} or {@code tensorrt}, by the
 *                         detector's rules ({@link ModelSpec#provider()}: a GPU provider that cannot start falls back
 *                         to CPU with a warning and the "MODEL ON CPU" alarm, unless {@code gpu.cpuFallback} is false:
 *                         then the recipe is refused); the memory bank search runs on CPU either way
 * @param gpu              options of the GPU providers; null for their defaults
 * @param allowUnevaluated run the model although it has no evaluation record ({@code ./station eval-anomaly --record})
 *                         for exactly this file
 */
public record AnomalySpec(
        String model,
        @Nullable @Range(min = 0, max = 1e6) Double threshold,
        @Nullable @Range(min = 0.0001, max = 0.5) Double targetFrr,
        @Nullable Roi roi,
        @Nullable String mask,
        @Default("1") @Range(min = 1, max = 64) int threads,
        @Default("false") boolean allowUnevaluated,
        @Default("cpu") String provider,
        ModelSpec.@Nullable GpuSpec gpu) {

    public AnomalySpec {
        if (threshold != null && targetFrr != null) {
            throw new IllegalArgumentException("give threshold or targetFrr, not both");
        }
        ModelSpec.GpuSpec.checkDemand(gpu, provider);
    }

    /** The GPU options in force: {@link #gpu()} or, without that section, the defaults. */
    public ModelSpec.GpuSpec gpuOrDefaults() {
        return gpu == null ? ModelSpec.GpuSpec.DEFAULTS : gpu;
    }
}
