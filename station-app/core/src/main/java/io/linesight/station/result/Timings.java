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
 * @param anomalyNanos the anomaly models on their shots (beside the rules and the model); 0 without any
 */
public record Timings(long acquireNanos, long queueNanos, long rulesNanos, long modelNanos, long totalNanos,
                      long anomalyNanos) {
    public static final Timings NONE = new Timings(0, 0, 0, 0, 0);

    /** A part without anomaly models. */
    public Timings(long acquireNanos, long queueNanos, long rulesNanos, long modelNanos, long totalNanos) {
        this(acquireNanos, queueNanos, rulesNanos, modelNanos, totalNanos, 0);
    }

    public double totalMs() {
        return totalNanos / 1e6;
    }
}
