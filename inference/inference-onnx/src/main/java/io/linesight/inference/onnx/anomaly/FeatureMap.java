/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

/**
 * One layer's activations for one image, channel-major ({@code data[(c * height + y) * width + x]}).
 *
 * @param stride the layer's stride in input pixels (8 or 16 for the taps the anomaly model uses)
 */
record FeatureMap(int channels, int height, int width, int stride, float[] data) {
    FeatureMap {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("feature map " + channels + "x" + height + "x" + width + " has "
                    + data.length + " values");
        }
    }

    float at(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
