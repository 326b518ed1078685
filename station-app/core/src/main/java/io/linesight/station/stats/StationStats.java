/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.stats;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.result.Inspection;
import io.linesight.station.timing.StageTimes;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency percentiles of a station. Updates are lock-free (any thread); {@link #snapshot()} is for
 * displays and summaries.
 */
public final class StationStats {
    private final AtomicLong parts = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong imaged = new AtomicLong();
    private final AtomicLong truthDefective = new AtomicLong();
    private final AtomicLong escapes = new AtomicLong();
    private final AtomicLong overkill = new AtomicLong();
    private final AtomicLongArray byReason = new AtomicLongArray(ReasonCode.values().length);
    /**
     * The longest latency the histograms hold (an hour). Longer ones are recorded as this: a part whose firing time
     * lies far back (a PLC clock behind the station's) must still be counted, and must not throw out of the
     * recording that archives its images.
     */
    static final long LONGEST_NANOS = 3_600_000_000_000L;
    private final Recorder latency = new Recorder(LONGEST_NANOS, 3);
    private final Histogram total = new Histogram(LONGEST_NANOS, 3);
    private final AtomicLongArray maxNanosByReason = new AtomicLongArray(ReasonCode.values().length);
    /** Trigger → verdict of OVERLOAD rejects: whether shed parts are answered at once. */
    private final Recorder shedLatency = new Recorder(LONGEST_NANOS, 3);
    private final Histogram shedTotal = new Histogram(LONGEST_NANOS, 3);
    private final StageTimes stages = new StageTimes();
    private volatile long firstPartNanos;

    public void record(Inspection i) {
        if (parts.incrementAndGet() == 1) {
            firstPartNanos = i.part().triggeredNanos();
        }
        if (i.verdict().passed()) {
            passed.incrementAndGet();
        } else {
            rejected.incrementAndGet();
            int reason = i.verdict().primaryCode().ordinal();
            byReason.incrementAndGet(reason);
            maxNanosByReason.accumulateAndGet(reason, i.timings().totalNanos(), Math::max);
            if (i.verdict().primaryCode() == ReasonCode.OVERLOAD) {
                shedLatency.recordValue(recordable(i.timings().totalNanos()));
            }
        }
        latency.recordValue(recordable(i.timings().totalNanos()));
        if (!i.rules().isEmpty() || !i.detections().isEmpty() || !i.anomalies().isEmpty()) {
            // imaged and inspected: comparable with the images' ground truth where the camera knows it
            imaged.incrementAndGet();
            if (i.truthDefective()) {
                truthDefective.incrementAndGet();
                if (i.verdict().passed()) {
                    escapes.incrementAndGet();
                }
            } else if (!i.verdict().passed()) {
                overkill.incrementAndGet();
            }
        }
    }

    private static long recordable(long nanos) {
        return Math.clamp(nanos, 1, LONGEST_NANOS);
    }

    /** Zeroes counters and latencies (shift reset, {@code cmd/reset}). */
    public synchronized void reset() {
        parts.set(0);
        passed.set(0);
        rejected.set(0);
        late.set(0);
        imaged.set(0);
        truthDefective.set(0);
        escapes.set(0);
        overkill.set(0);
        for (int i = 0; i < byReason.length(); i++) {
            byReason.set(i, 0);
            maxNanosByReason.set(i, 0);
        }
        latency.reset();
        total.reset();
        shedLatency.reset();
        shedTotal.reset();
        firstPartNanos = 0;
    }

    /** The station's own stage timings (not zeroed by {@link #reset()}: they are diagnostics, not shift counters). */
    public StageTimes stages() {
        return stages;
    }

    /**
     * The longest trigger-to-verdict time of a reject with this primary reason since start or reset, in ms (0 when
     * none): shows whether a shed part ({@code OVERLOAD}) was rejected at once or only after a wait.
     */
    public double maxMs(ReasonCode reason) {
        return maxNanosByReason.get(reason.ordinal()) / 1e6;
    }

    /**
     * The given percentile of trigger → verdict of OVERLOAD rejects since start or reset, in ms (0 when none).
     */
    public synchronized double shedPercentileMs(double percentile) {
        shedTotal.add(shedLatency.getIntervalHistogram());
        return shedTotal.getTotalCount() == 0 ? 0 : shedTotal.getValueAtPercentile(percentile) / 1e6;
    }

    public void recordLate() {
        late.incrementAndGet();
    }

    /** A consistent-enough view for display (counters are read one after the other). */
    public synchronized Snapshot snapshot() {
        total.add(latency.getIntervalHistogram());
        Map<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
        for (ReasonCode c : ReasonCode.values()) {
            long n = byReason.get(c.ordinal());
            if (n > 0) {
                reasons.put(c, n);
            }
        }
        double elapsedS = firstPartNanos == 0 ? 0 : (System.nanoTime() - firstPartNanos) / 1e9;
        return new Snapshot(parts.get(), passed.get(), rejected.get(), late.get(), imaged.get(), truthDefective.get(),
                escapes.get(), overkill.get(), reasons,
                total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(50) / 1e6,
                total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(99) / 1e6,
                total.getTotalCount() == 0 ? 0 : total.getMaxValue() / 1e6, elapsedS);
    }

    /**
     * Counters at one moment. Latencies in ms. {@code imaged} parts were inspected (not rejected before imaging);
     * among them {@code truthDefective} had a known defect, {@code escapes} of those passed, and {@code overkill}
     * counts parts without a known defect that were rejected (meaningful only with a camera that knows the truth).
     */
    public record Snapshot(long parts, long passed, long rejected, long late, long imaged, long truthDefective,
                           long escapes, long overkill, Map<ReasonCode, Long> rejectsByReason,
                           double p50Ms, double p99Ms, double maxMs, double elapsedS) {

        public long timeouts() {
            return rejectsByReason.getOrDefault(ReasonCode.TIMEOUT, 0L);
        }

        public double yieldPct() {
            return parts == 0 ? 0 : 100.0 * passed / parts;
        }

        public double partsPerMinute() {
            return elapsedS <= 0 ? 0 : parts * 60.0 / elapsedS;
        }

        /** The one-line summary every long-running command ends with. */
        public String summaryLine() {
            return String.format(Locale.ROOT, "parts=%d pass=%d reject=%d timeouts=%d p50_ms=%.2f p99_ms=%.2f",
                    parts, passed, rejected, timeouts(), p50Ms, p99Ms);
        }
    }
}
