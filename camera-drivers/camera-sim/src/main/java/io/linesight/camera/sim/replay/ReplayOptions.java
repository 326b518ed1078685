/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.sim.acquisition.DriverOptions;
import io.linesight.config.station.CameraConfig;
import java.util.Set;

/**
 * The replay camera's {@code cameras[].options}.
 *
 * @param loop      start over after the last image (default true); when false, a trigger past the end is refused
 * @param rateHz    frame rate in free run (default 10)
 * @param cacheMb   decode the whole folder at open when it fits this many MiB (default 512), else on demand
 * @param buffers   frame pool size (default 8)
 * @param readoutMs simulated delay between trigger and delivery (default 0)
 */
record ReplayOptions(boolean loop, double rateHz, long cacheMb, int buffers, long readoutMs) {
    static final Set<String> KEYS = Set.of("loop", "rateHz", "cacheMb", "buffers", "readoutMs");

    static ReplayOptions of(CameraConfig config) throws CameraException {
        DriverOptions o = DriverOptions.of(config, KEYS);
        return new ReplayOptions(
                o.booleanValue("loop", true),
                o.doubleValue("rateHz", 10, 0.01, 1_000),
                o.longValue("cacheMb", 512, 0, 1 << 20),
                o.intValue("buffers", 8, 1, 1024),
                o.longValue("readoutMs", 0, 0, 60_000));
    }
}
