/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detector;
import io.linesight.inference.api.DetectorProvider;
import io.linesight.inference.api.InferenceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** YOLO models in ONNX files on ONNX Runtime; id {@code onnx}. Constructing it does no I/O. */
public final class OnnxDetectorProvider implements DetectorProvider {

    @Override
    public String id() {
        return "onnx";
    }

    /** Files named {@code *.onnx}, or whose first byte is the protobuf tag of ONNX's {@code ir_version} field. */
    @Override
    public boolean supports(Path modelFile) {
        if (modelFile.getFileName() != null
                && modelFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(modelFile)) {
            return in.read() == 0x08;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Detector open(ModelSpec spec, Path modelFile) throws InferenceException {
        return OnnxDetector.open(spec, modelFile);
    }
}
