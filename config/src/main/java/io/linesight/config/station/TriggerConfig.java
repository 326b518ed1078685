/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;

/**
 * Where parts come from.
 *
 * @param source {@code timer}: the station triggers itself at {@code rateHz} (demo, commissioning);
 *               {@code mqtt}: each {@code cmd/trigger} message from the PLC is one part and carries its id;
 *               {@code hardware}: the camera's input line fires, part ids come from a counter aligned with the PLC
 * @param rateHz parts per second for the timer source
 */
public record TriggerConfig(
        @Default("timer") Source source,
        @Default("10") @Range(min = 0.01, max = 1000) double rateHz) {

    public enum Source { TIMER, MQTT, HARDWARE }
}
