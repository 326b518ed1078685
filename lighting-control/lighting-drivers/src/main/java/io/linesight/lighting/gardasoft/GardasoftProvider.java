/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.gardasoft;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllerProvider;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.DriverOptions;
import io.linesight.lighting.wire.Endpoint;
import io.linesight.lighting.wire.LinkTiming;
import io.linesight.lighting.wire.WireLightController;
import java.util.HashSet;
import java.util.Set;

/**
 * Provider id {@code gardasoft}: Gardasoft RT-series style controllers on Ethernet ({@code host:port}) or a serial
 * port. Options: {@code baud} (default 115200), {@code dataBits}, {@code stopBits}, {@code parity} for serial;
 * {@code reconnectMinMs}, {@code reconnectMaxMs}; {@code pollMs} (keep-alive period, default 2000; the keep-alive is
 * {@code VR}).
 */
public final class GardasoftProvider implements LightControllerProvider {
    static final int DEFAULT_BAUD = 115_200;
    private static final Set<String> OPTIONS;

    static {
        Set<String> keys = new HashSet<>(Endpoint.SERIAL_OPTIONS);
        keys.addAll(LinkTiming.OPTIONS);
        OPTIONS = Set.copyOf(keys);
    }

    @Override
    public String id() {
        return "gardasoft";
    }

    @Override
    public LightController open(LightConfig config) throws LightException {
        DriverOptions options = DriverOptions.of(config, OPTIONS);
        Endpoint endpoint = Endpoint.parse(config, options, DEFAULT_BAUD);
        return WireLightController.open(config.id(), endpoint, new GardasoftProtocol(), LinkTiming.from(config, options));
    }
}
