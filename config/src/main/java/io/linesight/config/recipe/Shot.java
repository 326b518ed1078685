/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Pattern;
import io.linesight.config.bind.Range;
import org.jspecify.annotations.Nullable;

/**
 * One image of a part: which camera, how exposed, under which light.
 *
 * @param name       shot name rules and the model refer to ({@code bright}, {@code dark})
 * @param camera     a camera id from station.yaml
 * @param exposureUs exposure time in microseconds
 * @param gainDb     analog gain in dB
 * @param light      the light channel to fire for this shot, or none
 * @param anomaly    the anomaly model run on this shot, or none
 */
public record Shot(
        @Pattern(value = "[A-Za-z0-9_-]{1,32}", hint = "letters, digits, '-' or '_'") String name,
        String camera,
        @Range(min = 10, max = 1_000_000) double exposureUs,
        @Default("0") @Range(min = 0, max = 48) double gainDb,
        @Nullable LightSetting light,
        @Nullable AnomalySpec anomaly) {

    /** A shot without an anomaly model. */
    public Shot(String name, String camera, double exposureUs, double gainDb, @Nullable LightSetting light) {
        this(name, camera, exposureUs, gainDb, light, null);
    }
}
