/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.PixelFormat;
import io.linesight.config.TriggerMode;
import io.linesight.config.bind.Default;
import io.linesight.config.bind.Pattern;
import io.linesight.config.bind.Range;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One camera of the station.
 *
 * @param id          the name recipes use for this camera ({@code top}, {@code side})
 * @param driver      the {@code CameraProvider} id: {@code synthetic}, {@code replay}, {@code genicam}, {@code spinnaker}
 * @param device      which device: serial, user id, IP address or driver-specific id; for {@code replay} the folder
 * @param options     driver-specific settings, validated by the driver at open time (each error names the key)
 */
public record CameraConfig(
        @Pattern(value = "[A-Za-z0-9_-]{1,32}", hint = "letters, digits, '-' or '_'") String id,
        @Pattern(value = "[a-z0-9-]{1,32}", hint = "a driver id such as synthetic, replay, genicam") String driver,
        @Nullable String device,
        @Default("1280") @Range(min = 16, max = 16384) int width,
        @Default("1024") @Range(min = 16, max = 16384) int height,
        @Default("mono8") PixelFormat pixelFormat,
        @Default("software") TriggerMode triggerMode,
        @Default("1000") @Range(min = 10, max = 60_000) int frameTimeoutMs,
        Map<String, String> options) {
}
