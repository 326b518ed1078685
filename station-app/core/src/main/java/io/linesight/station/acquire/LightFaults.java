/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import io.linesight.config.recipe.LightSetting;
import io.linesight.config.recipe.Shot;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightHealth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Light controllers in fault, looked up before a part is imaged: a part whose shots use a controller that is not
 * answering is rejected with {@code LIGHT_FAULT} at once instead of being imaged without its light. The drivers
 * watch their controllers themselves ({@link LightController#health()} does no I/O), so this costs nothing per part.
 */
final class LightFaults {
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** The controller in fault and what to tell the PLC and the operator about it. */
    record Found(String controller, String reason) {
    }

    private final Devices devices;

    LightFaults(Devices devices) {
        this.devices = devices;
    }

    /** The first controller in fault that one of {@code shots} uses, or null when all their lights are well. */
    @Nullable Found first(List<Shot> shots) {
        for (Shot shot : shots) {
            LightSetting light = shot.light();
            if (light != null && devices.light(light.controller()).health() instanceof LightHealth.Fault fault) {
                return new Found(light.controller(), describe(fault));
            }
        }
        return null;
    }

    /** {@code light controller 'ring' (tcp …): connection lost (…); in fault since 10:41:07}. */
    static String describe(LightHealth.Fault fault) {
        return fault.reason() + "; in fault since " + SINCE.format(fault.since());
    }
}
