/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps by which a result reaches the database, named and counted as the process meets them, so that a test can
 * halt the process at any one of them ({@code -Dlinesight.store.haltAt=spool.rotated#2}: the second time it rotates;
 * {@link Runtime#halt}, as abrupt as kill -9) and look at what is on disk, and print them in order
 * ({@code -Dlinesight.store.traceSteps=true}). A step is named by its kind and occurrence rather than by its place in
 * the whole run because the writer's and the callers' threads interleave differently each run, while the n-th
 * rotation is the n-th rotation. Both are off unless those properties are set: then each step costs one read of a
 * constant.
 */
final class CrashPoint {
    private static final String HALT_AT = System.getProperty("linesight.store.haltAt", "");
    private static final boolean TRACE = Boolean.getBoolean("linesight.store.traceSteps");
    private static final AtomicInteger STEPS = new AtomicInteger();
    private static final ConcurrentHashMap<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private CrashPoint() {
    }

    /** The process reached {@code step}; halts here if this is the step a test asked for. */
    static void reached(String step) {
        if (HALT_AT.isEmpty() && !TRACE) {
            return;
        }
        int n = STEPS.incrementAndGet();
        int occurrence = SEEN.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
        if (TRACE) {
            System.err.println("step " + n + " " + step);
        }
        if (HALT_AT.equals(step + "#" + occurrence)) {
            System.err.println("halting at step " + n + " " + step);
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
