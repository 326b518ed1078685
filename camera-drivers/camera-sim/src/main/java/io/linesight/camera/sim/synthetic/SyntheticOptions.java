/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.sim.acquisition.DriverOptions;
import io.linesight.config.station.CameraConfig;
import java.util.Set;

/**
 * The synthetic camera's {@code cameras[].options}.
 *
 * @param seed       part and noise seed (default 1)
 * @param defectRate probability that a part has a defect, 0..1 (default 0.1)
 * @param buffers    frame pool size (default 8)
 * @param readoutMs  simulated delay between exposure and delivery (default 0)
 * @param fps        frame rate in free run (default 10)
 * @param dropEvery  every this many triggers one gives no frame, for fault injection (default 0: none)
 */
record SyntheticOptions(long seed, double defectRate, int buffers, long readoutMs, double fps, int dropEvery) {
    static final Set<String> KEYS = Set.of("seed", "defectRate", "buffers", "readoutMs", "fps", "dropEvery");

    static SyntheticOptions of(CameraConfig config) throws CameraException {
        DriverOptions o = DriverOptions.of(config, KEYS);
        return new SyntheticOptions(
                o.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                o.doubleValue("defectRate", 0.1, 0, 1),
                o.intValue("buffers", 8, 1, 1024),
                o.longValue("readoutMs", 0, 0, 60_000),
                o.doubleValue("fps", 10, 0.01, 1_000),
                o.intValue("dropEvery", 0, 0, 1_000_000));
    }
}
