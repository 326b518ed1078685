/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import java.util.ArrayList;
import java.util.List;

/** A nanosecond clock that only moves when something pauses on it; records every pause asked for. */
final class FakeClock implements Pause {
    long now = 1_000_000_000L;
    final List<Long> pauses = new ArrayList<>();
    /** How many pauses complete before the next one reports the owner closing. */
    int pausesUntilClosed = Integer.MAX_VALUE;

    long now() {
        return now;
    }

    @Override
    public boolean sleep(long nanos) {
        pauses.add(nanos);
        if (pausesUntilClosed-- <= 0) {
            return false;
        }
        now += Math.max(nanos, 0);
        return true;
    }
}
