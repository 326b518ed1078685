/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import io.linesight.station.result.Inspection;

/**
 * The station's side of the PLC contract.
 *
 * <p><b>Threads.</b> {@link #publish} is called by whichever thread decided a part (an inspection worker or the
 * deadline watchdog); calls are serialised inside so that sequence numbers follow publish order. It never waits for
 * the network: the message is queued in the client (and, when the broker is away, buffered for re-sending).
 */
public interface PlcLink extends AutoCloseable {

    /** Assigns the next sequence number, sends the verdict, and returns the inspection with its seq set. */
    Inspection publish(Inspection inspection);

    /** Publishes the retained state. */
    void state(StationState state);

    /** Whether the broker connection is up now. */
    boolean connected();

    /** The broker URL, for status displays. */
    String brokerUrl();

    @Override
    void close();
}
