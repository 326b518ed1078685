/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.station.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A short chaos run (the full one is {@code ./station chaos}, figures in docs/BENCHMARKS.md): 1,500 hardware-triggered
 * parts at 50/s through a real Mosquitto, with two broker restarts, a broker that refuses the station's verdicts for
 * 3 s, a CPU spike, a SIGKILL of the station and its restart, a camera that misses every 50th trigger, and repeated,
 * spurious and stray triggers. Every part the station could know of gets exactly one verdict, judged on its own
 * images; nothing passes without its own image; refusals are noticed.
 */
class ChaosIT {
    @Test
    void theOneVerdictPromise_holdsThroughBrokerStationCpuAndTriggerFaults() throws Exception {
        Peers.require(Files.isExecutable(MosquittoProcess.BINARY), "mosquitto is not installed");
        // kept after the run (station log, per-part CSV, report): a failed run must be explainable
        Path dir = Path.of("target", "chaos-it", java.time.LocalDateTime.now().toString().replace(':', '-'));
        ChaosLedger.Report r = new ChaosRun(new ChaosRun.Settings(1500, 50, dir, true, 500, 3000, 3000, 2000, 50),
                System.out).run();
        System.out.print(r.table());

        assertThat(r.missing()).as("parts without a verdict while the station was up").isZero();
        assertThat(r.duplicates()).as("parts with two verdicts").isZero();
        assertThat(r.wrongPart()).as("verdicts that judged another part's images").isZero();
        assertThat(r.silentPass()).as("PASS without the part's own image").isZero();
        assertThat(r.refusedPublishes()).as("the broker's refusals were noticed").isPositive();
        assertThat(r.faultWhileRefused()).as("the station said FAULT while its verdicts were refused").isTrue();
        if (r.realtimeInForce()) {
            assertThat(r.timeoutsDecidedLate()).as("TIMEOUTs decided after their deadline").isZero();
        }
        assertThat(r.promiseKept()).isTrue();
    }
}
