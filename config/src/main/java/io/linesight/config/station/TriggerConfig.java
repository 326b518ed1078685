/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;

/**
 * Where parts come from.
 *
 * @param source           {@code timer}: the station triggers itself at {@code rateHz} (demo, commissioning);
 *                         {@code mqtt}: each {@code cmd/trigger} message from the PLC is one part and carries its id;
 *                         {@code hardware}: the PLC or a photo-eye fires the cameras' input line
 * @param rateHz           parts per second for the timer source
 * @param partIds          hardware source: {@code plc} — the PLC announces each part on {@code cmd/trigger} (with the
 *                         time it fired the line, {@code firedAt}) and frames are paired with announcements by time;
 *                         {@code counter} — every line trigger is a part numbered by the station ({@code H000001}…)
 * @param matchToleranceMs hardware source: largest difference between an announced trigger time and a frame's
 *                         trigger time that still pairs them; keep it below half the time between two parts
 * @param frameDelayMs     hardware source: how long after the line edge a camera's frame is time-stamped (0 when the
 *                         driver stamps the trigger itself)
 * @param announceWaitMs   hardware source: how long a frame waits for its part's announcement before it is dropped
 *                         as unannounced (counted and alarmed)
 */
public record TriggerConfig(
        @Default("timer") Source source,
        @Default("10") @Range(min = 0.01, max = 1000) double rateHz,
        @Default("plc") PartIds partIds,
        @Default("10") @Range(min = 0.1, max = 10_000) double matchToleranceMs,
        @Default("0") @Range(min = 0, max = 10_000) double frameDelayMs,
        @Default("200") @Range(min = 1, max = 60_000) int announceWaitMs) {

    public enum Source { TIMER, MQTT, HARDWARE }

    public enum PartIds { PLC, COUNTER }
}
