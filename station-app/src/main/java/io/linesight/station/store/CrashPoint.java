/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps by which a result reaches the database, numbered as the process meets them, so that a test can halt
 * the process at any one of them ({@code -Dlinesight.store.haltAtStep=N}: {@link Runtime#halt}, as abrupt as
 * kill -9) and look at what is on disk, and print them in order ({@code -Dlinesight.store.traceSteps=true}). Both are
 * off unless those properties are set: then each step costs one read of a constant.
 */
final class CrashPoint {
    private static final int HALT_AT = Integer.getInteger("linesight.store.haltAtStep", 0);
    private static final boolean TRACE = Boolean.getBoolean("linesight.store.traceSteps");
    private static final AtomicInteger STEPS = new AtomicInteger();

    private CrashPoint() {
    }

    /** The process reached {@code step}; halts here if this is the step a test asked for. */
    static void reached(String step) {
        if (HALT_AT == 0 && !TRACE) {
            return;
        }
        int n = STEPS.incrementAndGet();
        if (TRACE) {
            System.err.println("step " + n + " " + step);
        }
        if (n == HALT_AT) {
            System.err.println("halting at step " + n + " " + step);
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
