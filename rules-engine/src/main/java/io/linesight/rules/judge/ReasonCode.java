/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

/**
 * Why a part was rejected. The codes are part of the PLC contract (docs/PLC.md): they are sent as text and their
 * numbers in the compact payload; never renumber, only add.
 */
public enum ReasonCode {
    /** Not a reject reason: the value of a passing result. */
    NONE(0),
    DEFECT_DETECTED(1),
    RULE_FAILED(2),
    TIMEOUT(3),
    IMAGE_INCOMPLETE(4),
    CAMERA_FAULT(5),
    INFERENCE_ERROR(6),
    LIGHT_FAULT(7),
    IMAGE_QUALITY(8),
    RULE_ERROR(9),
    /** The part found the inspection queue full and was not inspected. */
    QUEUE_FULL(10),
    /** The station was stopping or not running when the part came. */
    STATION_STOPPED(11),
    /** A part was announced (hardware trigger) but its camera delivered no frame for it. */
    IMAGE_MISSING(12),
    /** The station shed the part at once because it could not have decided it before its deadline. */
    OVERLOAD(13),
    /** The anomaly model scored the image above its threshold: unlike the good parts it learned from. */
    ANOMALY(14),
    /** The station failed inside while deciding or sending (a bug or a broken resource): the part was not judged. */
    STATION_ERROR(15);

    private final int number;

    ReasonCode(int number) {
        this.number = number;
    }

    /** Stable number for PLCs that take the compact payload. */
    public int number() {
        return number;
    }
}
