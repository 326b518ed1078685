/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

/** MQTT 5 PUBACK reason codes as the station reads them (MQTT 5.0, 3.4.2.1). */
public final class PubAckCodes {
    /** The broker took the message but nobody subscribes to the topic: the PLC is not listening. */
    public static final int NO_MATCHING_SUBSCRIBERS = 0x10;

    private PubAckCodes() {
    }

    /** 0x80 and above: the broker refused the message; it was not delivered to anyone. */
    public static boolean refused(int code) {
        return code >= 0x80;
    }

    /** The code with its name, for alarms and logs, e.g. {@code 0x87 not authorized}. */
    public static String describe(int code) {
        String name = switch (code) {
            case 0x00 -> "success";
            case 0x10 -> "no matching subscribers";
            case 0x80 -> "unspecified error";
            case 0x83 -> "implementation specific error";
            case 0x87 -> "not authorized";
            case 0x90 -> "topic name invalid";
            case 0x91 -> "packet identifier in use";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x99 -> "payload format invalid";
            default -> "reason code";
        };
        return String.format("0x%02x %s", code, name);
    }
}
