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

    /**
     * The provider the tests' models run on: {@code cpu}, or what {@code -Dlinesight.test.provider} names
     * (benchmarks/gpu/run.sh runs this suite with {@code cuda} on a GPU machine).
     */
    static String provider() {
        return System.getProperty("linesight.test.provider", "cpu");
    }

    static ModelSpec spec(double conf, double iou) {
        return new ModelSpec("m.onnx", List.of(), conf, Map.of(), iou, false, 100, List.of(), null, provider(), 1, 1, null);
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

    /** The repository's root (the folder with mvnw and station-app) above the working directory; null outside it. */
    static @Nullable Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("station-app")))) {
            p = p.getParent();
        }
        return p;
    }

    /** The demo's model in the repository; null when it is absent. */
    static @Nullable Path demoModel() {
        Path root = repoRoot();
        Path model = root == null ? null : root.resolve("station-app/core/src/main/resources/demo/recipes/models/bracket-defects.onnx");
        return model != null && Files.isRegularFile(model) ? model : null;
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
