/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

import io.linesight.inference.api.Detection;
import java.util.List;

/** The detections the model found on one shot of a part. */
public record ShotDetections(String shot, List<Detection> detections) {
    public ShotDetections {
        detections = List.copyOf(detections);
    }
}
