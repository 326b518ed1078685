/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a driver waits: for a backoff delay, for a trigger slot. Production waits on the driver's "closed" latch so that
 * {@code close()} cuts every wait short; tests pass a pause that advances a fake clock instead of sleeping.
 *
 * <p>Called on whichever thread waits (the control thread pacing a trigger, the reconnect thread backing off); blocks
 * that thread for up to {@code nanos}.
 */
@FunctionalInterface
public interface Pause {

    /**
     * Waits {@code nanos} (nothing for zero or less).
     *
     * @return true when the full time passed; false when the wait ended early because the owner is closing
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean sleep(long nanos) throws InterruptedException;

    /** A pause that {@code closed.countDown()} ends at once, returning false. */
    static Pause until(CountDownLatch closed) {
        return nanos -> {
            if (closed.getCount() == 0) {
                return false;
            }
            return nanos <= 0 || !closed.await(nanos, TimeUnit.NANOSECONDS);
        };
    }
}
