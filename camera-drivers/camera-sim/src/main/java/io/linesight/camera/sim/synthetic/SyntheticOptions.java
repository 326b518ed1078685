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
 * @param linePort   {@code triggerMode: hardware}: line edges arrive as UDP datagrams on this loopback port, each
 *                   may name the part under the camera (option {@code line: "udp:PORT"}; default none)
 * @param dropEvery  fault injection: the camera misses every n-th trigger (default 0: none)
 */
record SyntheticOptions(long seed, double defectRate, int buffers, long readoutMs, double fps, int linePort, int dropEvery) {
    static final Set<String> KEYS = Set.of("seed", "defectRate", "buffers", "readoutMs", "fps", "line", "dropEvery");

    static SyntheticOptions of(CameraConfig config) throws CameraException {
        DriverOptions o = DriverOptions.of(config, KEYS);
        return new SyntheticOptions(
                o.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                o.doubleValue("defectRate", 0.1, 0, 1),
                o.intValue("buffers", 8, 1, 1024),
                o.longValue("readoutMs", 0, 0, 60_000),
                o.doubleValue("fps", 10, 0.01, 1_000),
                linePort(config),
                o.intValue("dropEvery", 0, 0, 1_000_000));
    }

    private static int linePort(CameraConfig config) throws CameraException {
        String line = config.options() == null ? null : config.options().get("line");
        if (line == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("udp:(\\d{1,5})").matcher(line.strip());
        int port = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (port < 1 || port > 65535) {
            throw new CameraException(CameraException.Code.BAD_SETTING, "cameras[" + config.id()
                    + "].options.line: rejected '" + line + "', expected udp:PORT (a loopback UDP port 1..65535)");
        }
        return port;
    }
}
