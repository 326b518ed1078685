/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import java.util.Map;

/**
 * Per-shot settings the sequencer applies before a trigger.
 *
 * @param exposureUs exposure time
 * @param gainDb     analog gain
 * @param features   vendor features by GenICam name, applied in order (strings converted by the feature's type)
 */
public record CameraSettings(double exposureUs, double gainDb, Map<String, String> features) {
    public CameraSettings {
        features = Map.copyOf(features);
    }

    public static CameraSettings of(double exposureUs, double gainDb) {
        return new CameraSettings(exposureUs, gainDb, Map.of());
    }
}
