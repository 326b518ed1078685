/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.chaos.ChaosLedger;
import io.linesight.station.chaos.ChaosRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code station chaos}: the one-verdict promise under broker, station, CPU and trigger faults, with a report. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run a hardware-triggered station on a real Mosquitto through broker restarts, a broker that "
                + "refuses verdicts, a SIGKILL of the station, a CPU spike and lost, repeated and spurious triggers; "
                + "print whether every part got exactly one verdict, for that part, before its deadline. Exit 0 only "
                + "when the promise was kept.")
final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--parts", defaultValue = "10000", description = "parts (default: ${DEFAULT-VALUE})")
    int parts;

    @Option(names = "--rate", defaultValue = "50", paramLabel = "HZ", description = "parts per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "working folder: config, data, logs, report")
    Path dir;

    @Option(names = "--no-realtime", description = "run the station with scheduling.realtime: false")
    boolean noRealtime;

    @Option(names = "--deadline-ms", defaultValue = "500", description = "the station's deadline (default: ${DEFAULT-VALUE})")
    long deadlineMs;

    @Option(names = "--spike-ms", defaultValue = "5000", description = "CPU spike length (default: ${DEFAULT-VALUE})")
    long spikeMs;

    @Option(names = "--refuse-ms", defaultValue = "5000", description = "how long the broker refuses verdicts (default: ${DEFAULT-VALUE})")
    long refuseMs;

    @Option(names = "--broker-down-ms", defaultValue = "3000", description = "each broker restart's downtime (default: ${DEFAULT-VALUE})")
    long brokerDownMs;

    @Option(names = "--drop-every", defaultValue = "50", description = "the camera misses every n-th trigger (default: ${DEFAULT-VALUE})")
    int dropEvery;

    @Override
    public Integer call() throws Exception {
        ChaosLedger.Report r = new ChaosRun(new ChaosRun.Settings(parts, rate, dir, !noRealtime, deadlineMs, spikeMs, refuseMs,
                brokerDownMs, dropEvery), System.out).run();
        System.out.print(r.table());
        return r.promiseKept() ? 0 : 1;
    }
}
