/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.NotEmpty;
import io.linesight.config.bind.Pattern;
import io.linesight.config.bind.Range;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One station: its place on the line, its devices, its PLC link, where results go, and the time budget per part.
 * Loaded from {@code station.yaml}; relative paths are resolved against the folder of that file.
 *
 * @param line       line id, the second level of every MQTT topic
 * @param station    station id, the third level of every MQTT topic
 * @param deadlineMs time from trigger to verdict; past it the watchdog sends REJECT(TIMEOUT)
 * @param recipe     file name of the recipe to start with, inside {@code recipeDir}
 * @param recipeDir  the recipe store; model and image paths in recipes cannot leave it
 * @param dataDir    results database, image archive and journal
 * @param scheduling how the threads that keep the deadline get the CPU first
 * @param sparkplug  the optional Sparkplug B namespace; absent for none
 */
public record StationConfig(
        @Pattern(value = "[A-Za-z0-9_-]{1,64}", hint = "letters, digits, '-' or '_' (an MQTT topic level)") String line,
        @Pattern(value = "[A-Za-z0-9_-]{1,64}", hint = "letters, digits, '-' or '_' (an MQTT topic level)") String station,
        @Default("500") @Range(min = 1, max = 600_000) int deadlineMs,
        @Nullable String recipe,
        @Default("recipes") String recipeDir,
        @Default("data") String dataDir,
        @Default("{}") TriggerConfig trigger,
        @NotEmpty List<CameraConfig> cameras,
        List<LightConfig> lights,
        @Default("{}") BrokerConfig broker,
        @Default("{}") StorageConfig storage,
        @Default("{}") PipelineConfig pipeline,
        @Default("{}") SchedulingConfig scheduling,
        @Nullable SparkplugConfig sparkplug) {
}
