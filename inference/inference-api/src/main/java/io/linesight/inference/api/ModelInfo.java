/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

import java.util.List;

/**
 * What a loaded model is.
 *
 * @param file          the model file
 * @param sha256        hex digest of the file (stored with every result, so a verdict names the exact model)
 * @param classNames    class names by class id
 * @param inputWidth    model input width (the nominal one when the model is dynamic)
 * @param inputHeight   model input height
 * @param channels      1 or 3
 * @param layout        the output layout recognised: {@code yolov5}, {@code yolov8}, {@code end2end}
 * @param executionProvider the provider actually running it: {@code CPU}, {@code CUDA}, {@code TensorRT}
 */
public record ModelInfo(String file, String sha256, List<String> classNames, int inputWidth, int inputHeight,
                        int channels, String layout, String executionProvider) {
    public ModelInfo {
        classNames = List.copyOf(classNames);
    }
}
