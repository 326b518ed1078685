/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import org.jspecify.annotations.Nullable;

/**
 * An alarm of this station that is not cleared yet, as the banner shows it.
 *
 * @param acknowledgedBy who acknowledged it, or null while nobody has
 */
public record OpenAlarm(long id, String code, String source, String detail, long raisedMs,
                        @Nullable String acknowledgedBy) {
    public boolean acknowledged() {
        return acknowledgedBy != null;
    }
}
