/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.recipe.LightSetting;
import io.linesight.config.recipe.LightSetting.Mode;
import io.linesight.config.station.LightConfig;
import java.util.Map;

/** Recipe settings and station entries for the driver tests. */
public final class Settings {
    private Settings() {
    }

    public static LightSetting strobe(int channel, double pct, double pulseUs, double delayUs) {
        return new LightSetting("ring", channel, pct, pulseUs, delayUs, Mode.STROBE);
    }

    public static LightSetting continuous(int channel, double pct) {
        return new LightSetting("ring", channel, pct, 100, 0, Mode.CONTINUOUS);
    }

    public static LightSetting off(int channel) {
        return new LightSetting("ring", channel, 0, 100, 0, Mode.OFF);
    }

    public static LightConfig light(String driver, String address, int timeoutMs, Map<String, String> options) {
        return new LightConfig("ring", driver, address, timeoutMs, options);
    }
}
