/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/** Where the shared models and images are: system property {@code linesight.shared}, env {@code LINESIGHT_SHARED}, else {@code ../shared}. */
final class Shared {
    private Shared() {
    }

    static Path root() {
        String p = System.getProperty("linesight.shared");
        if (p == null) {
            p = System.getenv("LINESIGHT_SHARED");
        }
        Path root = Path.of(p == null ? "../shared" : p);
        if (!Files.isDirectory(root.resolve("models"))) {
            throw new IllegalStateException(root.toAbsolutePath() + " holds no models/: set -Dlinesight.shared or LINESIGHT_SHARED");
        }
        return root;
    }

    static Path yolov8nInt8() {
        return root().resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
    }

    static Path busJpg() {
        return root().resolve("datasets/ultralytics-samples/bus.jpg");
    }

    static void loadOpenCv() {
        Loader.load(org.bytedeco.opencv.opencv_java.class);
    }
}
