/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.api;

import io.linesight.config.station.LightConfig;

/**
 * A lighting controller driver, found with {@link java.util.ServiceLoader} by the id in {@code lights[].driver}.
 * Loading a provider does no I/O.
 */
public interface LightControllerProvider {

    /** {@code simulated}, {@code gardasoft}, {@code ascii}, {@code camera-strobe}. */
    String id();

    /** Connects to the controller; blocks up to the configured timeout. */
    LightController open(LightConfig config) throws LightException;
}
