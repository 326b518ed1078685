/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

import io.linesight.config.recipe.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/** The model runtimes on the class path. */
public final class Detectors {
    private Detectors() {
    }

    public static List<DetectorProvider> all() {
        return ServiceLoader.load(DetectorProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** Opens a model with the first runtime that supports the file. */
    public static Detector open(ModelSpec spec, Path modelFile) throws InferenceException {
        for (DetectorProvider p : all()) {
            if (p.supports(modelFile)) {
                return p.open(spec, modelFile);
            }
        }
        throw new InferenceException(InferenceException.Code.LOAD_FAILED,
                modelFile + ": no model runtime on the class path supports this file");
    }
}
