/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.result;

/**
 * Where a part's time went, in nanoseconds from its trigger's point of view.
 *
 * @param acquireNanos trigger → last frame collected
 * @param queueNanos   waiting for an inspection worker
 * @param rulesNanos   all rules of the part (they run beside the model)
 * @param modelNanos   the model on every shot it runs on
 * @param totalNanos   trigger → verdict decided
 */
public record Timings(long acquireNanos, long queueNanos, long rulesNanos, long modelNanos, long totalNanos) {
    public static final Timings NONE = new Timings(0, 0, 0, 0, 0);

    public double totalMs() {
        return totalNanos / 1e6;
    }
}
