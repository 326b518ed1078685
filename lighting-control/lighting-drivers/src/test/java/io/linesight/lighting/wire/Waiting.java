/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for what a background thread (the keep-alive) does; the limit only keeps a broken test from hanging. */
public final class Waiting {
    private Waiting() {
    }

    /** Polls {@code condition} every 5 ms; returns whether it came true within {@code limit}. */
    public static boolean until(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
