/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.hmi.auth.Session;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the HMI opens.
 *
 * @param kiosk    full screen, no window decorations, no way out without an admin PIN
 * @param idle     log-out after this long without a touch
 * @param adminPin the first admin's PIN when the users file is created, or null for a random one in the log
 */
public record HmiOptions(boolean kiosk, Duration idle, @Nullable String adminPin) {
    /** Windowed, 5 minutes idle, first admin PIN from {@code LINESIGHT_ADMIN_PIN}. */
    public static HmiOptions defaults() {
        return new HmiOptions(false, Session.DEFAULT_IDLE, System.getenv("LINESIGHT_ADMIN_PIN"));
    }

    public HmiOptions withKiosk(boolean on) {
        return new HmiOptions(on, idle, adminPin);
    }
}
