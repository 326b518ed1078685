/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Three eight-hour shifts a day starting at 06:00, 14:00 and 22:00 in the station's time zone. */
public final class ShiftClock {
    private final ZoneId zone;

    public ShiftClock(ZoneId zone) {
        this.zone = zone;
    }

    /** Epoch ms of the start of the shift {@code epochMs} falls in. */
    public long shiftStart(long epochMs) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMs).atZone(zone);
        int h = t.getHour();
        ZonedDateTime day = t.toLocalDate().atStartOfDay(zone);
        ZonedDateTime start;
        if (h >= 22) {
            start = day.with(LocalTime.of(22, 0));
        } else if (h >= 14) {
            start = day.with(LocalTime.of(14, 0));
        } else if (h >= 6) {
            start = day.with(LocalTime.of(6, 0));
        } else {
            start = day.minusDays(1).with(LocalTime.of(22, 0));
        }
        return start.toInstant().toEpochMilli();
    }
}
