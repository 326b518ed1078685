/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.plc.sim.PlcSimulator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code station plc-sim}: a PLC stand-in for commissioning and tests. */
@Command(name = "plc-sim", mixinStandardHelpOptions = true,
        description = "Subscribe like a PLC: count verdicts per part, report missing, duplicate, out-of-order and late "
                + "verdicts and latency percentiles; optionally trigger parts on cmd/trigger.")
final class PlcSimCommand implements Callable<Integer> {
    @Option(names = "--broker", required = true, paramLabel = "URL", description = "e.g. tcp://127.0.0.1:1883")
    String broker;

    @Option(names = "--line", defaultValue = "demo", description = "line id (default: ${DEFAULT-VALUE})")
    String line;

    @Option(names = "--station", defaultValue = "s1", description = "station id (default: ${DEFAULT-VALUE})")
    String station;

    @Option(names = "--expect", paramLabel = "N", description = "stop when N parts have a verdict (0: run until --duration)")
    long expect;

    @Option(names = "--deadline-ms", paramLabel = "D", description = "count verdicts slower than D ms as late "
            + "(default: each verdict's own deadlineAt)")
    long deadlineMs;

    @Option(names = "--trigger-rate", paramLabel = "HZ", description = "publish cmd/trigger at this rate")
    double triggerRate;

    @Option(names = "--duration", paramLabel = "S", defaultValue = "600", description = "give up after S seconds")
    long durationS;

    @Override
    public Integer call() throws Exception {
        try (PlcSimulator sim = new PlcSimulator(broker, line, station, deadlineMs)) {
            if (triggerRate > 0) {
                sim.triggerAt(triggerRate, expect, "SIM" + Long.toString(System.currentTimeMillis(), 36).toUpperCase(Locale.ROOT));
            }
            long until = System.nanoTime() + durationS * 1_000_000_000L;
            long lastPrint = System.nanoTime();
            while (System.nanoTime() < until && (expect <= 0 || sim.parts() < expect)) {
                Thread.sleep(50);
                if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.println("[progress] " + sim.report().line());
                }
            }
            Thread.sleep(500); // late duplicates or re-sends
            PlcSimulator.Report r = sim.report();
            System.out.println(r.line());
            boolean ok = r.missing() == 0 && r.outOfOrder() == 0 && r.seqGaps() == 0 && (expect <= 0 || r.parts() >= expect);
            return ok ? 0 : 1;
        }
    }
}
