/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import java.util.List;

/**
 * How the threads that keep the one-verdict-per-part promise get the CPU first: the deadline watchdog, the PLC
 * sender and the MQTT client's threads.
 *
 * @param realtime        run those threads under SCHED_FIFO (Linux; needs CAP_SYS_NICE or an RLIMIT_RTPRIO, which
 *                        the shipped service unit grants). Where the station may not, it says so loudly at start-up,
 *                        in the alarms and on the {@code status} topic, and runs on
 * @param priority        SCHED_FIFO priority, 1..99 (above the kernel's interrupt threads at 50 only with reason)
 * @param cpus            pin those threads to these CPUs (a core reserved with {@code isolcpus} or systemd's
 *                        {@code AllowedCPUs} for the rest of the machine); empty for no pinning
 * @param publishMarginMs the watchdog sends REJECT(TIMEOUT) this long before the deadline, so the message is out
 *                        before the gate must act: it covers the journal write and the hand-over to the broker
 */
public record SchedulingConfig(
        @Default("true") boolean realtime,
        @Default("10") @Range(min = 1, max = 99) int priority,
        List<Integer> cpus,
        @Default("25") @Range(min = 0, max = 60_000) int publishMarginMs) {

    public SchedulingConfig {
        cpus = cpus == null ? List.of() : List.copyOf(cpus);
    }
}
