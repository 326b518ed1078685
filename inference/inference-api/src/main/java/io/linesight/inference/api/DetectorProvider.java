/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

import io.linesight.config.recipe.ModelSpec;
import java.nio.file.Path;

/** A model runtime, found with {@link java.util.ServiceLoader}. Loading the provider does no I/O. */
public interface DetectorProvider {

    /** {@code onnx}. */
    String id();

    /** Whether this provider runs files like this one (by extension or header). */
    boolean supports(Path modelFile);

    /**
     * Loads the model, checks it, and warms it up ({@code spec.warmupRuns()}), so that the first production frame
     * pays no warm-up. Blocks for as long as that takes (seconds). A model the runtime cannot load raises
     * {@link InferenceException.Code#LOAD_FAILED} naming the file and the cause (e.g. an operator not implemented).
     */
    Detector open(ModelSpec spec, Path modelFile) throws InferenceException;
}
