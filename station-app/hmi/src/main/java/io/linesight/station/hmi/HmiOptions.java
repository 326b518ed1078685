/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.auth.Session;
import io.linesight.station.auth.UserStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the HMI opens.
 *
 * @param kiosk    full screen, no window decorations, no way out without an admin PIN
 * @param idle     log-out after this long without a touch
 * @param adminPin the first admin's PIN when the users file is created, or null for a random one shown once on the
 *                 screen
 * @param minPinLength the shortest PIN a user may be given (4..12, default 6)
 * @param refreshHz how often the screens read the latest state, 1..{@value HmiApp#MAX_FPS}: every refresh costs CPU
 *                  (software rendering on an industrial PC without a GPU) that inspection shares
 */
public record HmiOptions(boolean kiosk, Duration idle, @Nullable String adminPin, int refreshHz, int minPinLength) {
    /** Refreshes a second by default: faster than an operator reads, and cheap on a 2-core box (docs/BENCHMARKS.md). */
    public static final int DEFAULT_REFRESH_HZ = 10;

    public HmiOptions {
        if (refreshHz < 1 || refreshHz > HmiApp.MAX_FPS) {
            throw new IllegalArgumentException("HMI refresh " + refreshHz + " Hz must be 1.." + HmiApp.MAX_FPS);
        }
        if (minPinLength < 4 || minPinLength > 12) {
            throw new IllegalArgumentException("minimum PIN length " + minPinLength + " must be 4..12");
        }
    }

    public HmiOptions(boolean kiosk, Duration idle, @Nullable String adminPin) {
        this(kiosk, idle, adminPin, DEFAULT_REFRESH_HZ, UserStore.DEFAULT_MIN_PIN_LENGTH);
    }

    /** Windowed, 5 minutes idle, first admin PIN from {@code LINESIGHT_ADMIN_PIN}. */
    public static HmiOptions defaults() {
        return new HmiOptions(false, Session.DEFAULT_IDLE, System.getenv("LINESIGHT_ADMIN_PIN"));
    }

    public HmiOptions withKiosk(boolean on) {
        return new HmiOptions(on, idle, adminPin, refreshHz, minPinLength);
    }

    public HmiOptions withRefreshHz(int hz) {
        return new HmiOptions(kiosk, idle, adminPin, hz, minPinLength);
    }

    public HmiOptions withMinPinLength(int digits) {
        return new HmiOptions(kiosk, idle, adminPin, refreshHz, digits);
    }
}
