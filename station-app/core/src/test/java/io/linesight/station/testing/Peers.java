/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Where a test's real peer (an X display, Mosquitto, Aravis, PostgreSQL, root for a tmpfs) is missing: on a
 * developer's machine the test is skipped with the reason; in CI (environment variable {@code CI} set, as
 * {@code ./test} and {@code .ci/run} do) it fails, so a broken install can never pass as "skipped".
 */
public final class Peers {
    private Peers() {
    }

    public static void require(boolean present, String why) {
        if (inCi()) {
            if (!present) {
                throw new AssertionError("a test peer is missing in CI: " + why);
            }
        } else {
            Assumptions.assumeTrue(present, why);
        }
    }

    /** An X display for the JavaFX tests ({@code xvfb-run -a} gives one). */
    public static void requireDisplay() {
        String display = System.getenv("DISPLAY");
        require(display != null && !display.isBlank(), "no DISPLAY: the HMI tests need an X display (run under xvfb-run -a)");
    }

    public static boolean inCi() {
        return System.getenv("CI") != null;
    }
}
