/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllerProvider;

/** Provider id {@code simulated}: an in-process controller, no wire. */
public final class SimulatedLightProvider implements LightControllerProvider {
    @Override
    public String id() {
        return "simulated";
    }

    @Override
    public LightController open(LightConfig config) {
        return new SimulatedLightController(config.id());
    }
}
