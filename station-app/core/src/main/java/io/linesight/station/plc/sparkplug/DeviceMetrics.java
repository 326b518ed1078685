/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.result.Inspection;
import io.linesight.station.plc.StationState;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;

/**
 * The station device's metrics (docs/PLC.md, "Sparkplug B"): the last verdict, the counters since start and the
 * station state. Not thread-safe: the node's thread owns it.
 */
final class DeviceMetrics {
    static final String RESULT = "Verdict/Result";
    static final String PART_ID = "Verdict/PartId";
    static final String SEQ = "Verdict/Seq";
    static final String REASONS = "Verdict/Reasons";
    static final String LATENCY_MS = "Verdict/LatencyMs";
    static final String TOTAL = "Counters/Total";
    static final String PASS = "Counters/Pass";
    static final String REJECT = "Counters/Reject";
    static final String TIMEOUTS = "Counters/Timeouts";
    static final String DROPPED = "Counters/Dropped";
    static final String STATE = "State";

    private String result = "";
    private String partId = "";
    private long seq;
    private String reasons = "";
    private double latencyMs;
    private long total;
    private long pass;
    private long reject;
    private long timeouts;
    private StationState state = StationState.ONLINE;

    void record(Inspection i) {
        result = i.verdict().passed() ? "PASS" : "REJECT";
        partId = i.part().partId();
        seq = i.seq();
        reasons = i.verdict().reasons().stream().map(r -> r.code().name()).collect(Collectors.joining(","));
        latencyMs = Math.round(i.latencyMs() * 1000) / 1000.0;
        total++;
        if (i.verdict().passed()) {
            pass++;
        } else {
            reject++;
        }
        if (i.verdict().reasons().stream().map(Reason::code).anyMatch(c -> c == ReasonCode.TIMEOUT)) {
            timeouts++;
        }
    }

    void state(StationState s) {
        state = s;
    }

    /** Every metric, for DBIRTH. */
    List<Metric> birth(Date now, long dropped) throws SparkplugInvalidTypeException {
        List<Metric> m = verdict(now, dropped);
        m.add(metric(STATE, MetricDataType.String, state.name(), now));
        return m;
    }

    /** The verdict and the counters, for the DDATA of one verdict. */
    List<Metric> verdict(Date now, long dropped) throws SparkplugInvalidTypeException {
        List<Metric> m = new ArrayList<>(11);
        m.add(metric(RESULT, MetricDataType.String, result, now));
        m.add(metric(PART_ID, MetricDataType.String, partId, now));
        m.add(metric(SEQ, MetricDataType.Int64, seq, now));
        m.add(metric(REASONS, MetricDataType.String, reasons, now));
        m.add(metric(LATENCY_MS, MetricDataType.Double, latencyMs, now));
        m.add(metric(TOTAL, MetricDataType.Int64, total, now));
        m.add(metric(PASS, MetricDataType.Int64, pass, now));
        m.add(metric(REJECT, MetricDataType.Int64, reject, now));
        m.add(metric(TIMEOUTS, MetricDataType.Int64, timeouts, now));
        m.add(metric(DROPPED, MetricDataType.Int64, dropped, now));
        return m;
    }

    /** The state alone, for the DDATA of a state change. */
    List<Metric> stateOnly(Date now) throws SparkplugInvalidTypeException {
        return new ArrayList<>(List.of(metric(STATE, MetricDataType.String, state.name(), now)));
    }

    static Metric metric(String name, MetricDataType type, Object value, Date now) throws SparkplugInvalidTypeException {
        return new Metric.MetricBuilder(name, type, value).timestamp(now).createMetric();
    }
}
