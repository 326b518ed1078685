/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import io.linesight.config.recipe.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/** Recipe model sections for tests, and the shared fixtures folder. */
final class Specs {
    private Specs() {
    }

    static ModelSpec spec(double conf, double iou) {
        return new ModelSpec("m.onnx", List.of(), conf, Map.of(), iou, false, 100, List.of(), null, "cpu", 1, 1, null);
    }

    static ModelSpec spec(double conf, double iou, Map<String, Double> classConf, boolean agnostic, int maxDet,
                          ModelSpec.@Nullable TilingSpec tiling, String provider, int warmup) {
        return new ModelSpec("m.onnx", List.of(), conf, classConf, iou, agnostic, maxDet, List.of(), tiling, provider, 1,
                warmup, null);
    }

    /** The shared fixtures folder, or the test is skipped (as not applicable) when it is absent. */
    static Path sharedOrSkip() {
        Path s = shared();
        Assumptions.assumeTrue(s != null && Files.isDirectory(s.resolve("models")),
                "shared fixtures folder (system property linesight.shared) is absent: real-model checks skipped");
        return s;
    }

    /** The shared fixtures folder from the system property surefire sets; null when absent. */
    static @Nullable Path shared() {
        String p = System.getProperty("linesight.shared");
        if (p == null) {
            p = System.getenv("LINESIGHT_SHARED");
        }
        if (p == null) {
            return null;
        }
        Path path = Path.of(p);
        return Files.isDirectory(path) ? path : null;
    }
}
