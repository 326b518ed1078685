/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import io.linesight.station.result.Inspection;
import io.linesight.station.plc.PlcLink;
import io.linesight.station.plc.StationState;

/**
 * The PLC link as the results fan-out sees it, with the Sparkplug node beside it: each verdict goes to the PLC link
 * first (which numbers it), then, numbered, to the node's queue; state goes to both. The node never blocks, so the
 * PLC path is not slowed. Owns neither: closing the tee closes nothing, the station closes both.
 */
public final class SparkplugTee implements PlcLink {
    private final PlcLink plc;
    private final SparkplugNode node;

    public SparkplugTee(PlcLink plc, SparkplugNode node) {
        this.plc = plc;
        this.node = node;
    }

    @Override
    public Inspection publish(Inspection inspection) {
        Inspection numbered = plc.publish(inspection);
        node.onVerdict(numbered);
        return numbered;
    }

    @Override
    public void state(StationState state) {
        plc.state(state);
        node.onState(state);
    }

    @Override
    public boolean connected() {
        return plc.connected();
    }

    @Override
    public String brokerUrl() {
        return plc.brokerUrl();
    }

    @Override
    public void close() {
        // the station owns and closes the PLC link and the node
    }
}
