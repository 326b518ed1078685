/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: attempt {@code n} (from 1) waits {@code min(maxMs, firstMs * 2^(n-1))}, less
 * up to {@code jitter} of it drawn at random. The jitter only shortens a delay, so the cap holds; it keeps cameras that
 * a shared switch dropped together from retrying in lockstep.
 *
 * @param firstMs the delay before the first attempt, 1..maxMs
 * @param maxMs   the longest delay
 * @param jitter  the fraction of a delay that may be taken off at random, 0 (none) to 0.5
 */
public record Backoff(long firstMs, long maxMs, double jitter) {

    /** The fraction drivers use unless a test needs exact delays. */
    public static final double DEFAULT_JITTER = 0.2;

    public Backoff {
        if (firstMs < 1 || maxMs < firstMs) {
            throw new IllegalArgumentException("backoff: need 1 <= firstMs <= maxMs, got " + firstMs + ", " + maxMs);
        }
        if (!(jitter >= 0 && jitter <= 0.5)) {
            throw new IllegalArgumentException("backoff: jitter " + jitter + " must be in 0..0.5");
        }
    }

    /**
     * The delay before attempt {@code attempt} (1 for the first), in nanoseconds.
     *
     * @param random a draw in [0, 1); {@code Math::random} in production
     */
    public long delayNanos(int attempt, DoubleSupplier random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("backoff: attempt " + attempt + " must be 1 or more");
        }
        long baseMs = firstMs;
        for (int i = 1; i < attempt && baseMs < maxMs; i++) {
            baseMs = baseMs > maxMs / 2 ? maxMs : baseMs * 2;
        }
        long baseNs = TimeUnit.MILLISECONDS.toNanos(baseMs);
        return baseNs - (long) (baseNs * jitter * random.getAsDouble());
    }
}
