/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

/**
 * One reason a part was rejected.
 *
 * @param code   the reason code
 * @param source the rule name, the class name of a detection, the camera or stage that failed
 * @param detail the values that caused it, readable by a person
 */
public record Reason(ReasonCode code, String source, String detail) {
    @Override
    public String toString() {
        return code + "(" + source + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }
}
