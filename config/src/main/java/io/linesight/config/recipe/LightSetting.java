/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;

/**
 * A light channel's setting for one shot.
 *
 * @param controller   a light controller id from station.yaml
 * @param channel      output channel on that controller, 1-based as printed on the controller
 * @param intensityPct brightness in percent of the channel's rated current
 * @param pulseUs      strobe pulse width in microseconds (strobe mode)
 * @param delayUs      delay from trigger to pulse in microseconds (strobe mode)
 * @param mode         {@code strobe}: pulsed on each trigger; {@code continuous}: on while the shot lasts;
 *                     {@code off}
 */
public record LightSetting(
        String controller,
        @Range(min = 1, max = 64) int channel,
        @Default("100") @Range(min = 0, max = 100) double intensityPct,
        @Default("100") @Range(min = 1, max = 1_000_000) double pulseUs,
        @Default("0") @Range(min = 0, max = 1_000_000) double delayUs,
        @Default("strobe") Mode mode) {

    public enum Mode { STROBE, CONTINUOUS, OFF }
}
