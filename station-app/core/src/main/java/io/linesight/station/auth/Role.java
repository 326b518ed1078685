/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

/** Who may do what at the HMI; each role may do everything the ones before it may. */
public enum Role {
    /** Anyone at the line, no login: watches production and rejects. */
    OPERATOR,
    /** Changes recipes over, edits thresholds, resets the shift. */
    ENGINEER,
    /** Everything an engineer may, plus leaving kiosk mode and managing users. */
    ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }
}
