/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

/** The station's MQTT topics: {@code linesight/{line}/{station}/…} (docs/PLC.md). */
public record Topics(String line, String station) {

    public String base() {
        return "linesight/" + line + "/" + station;
    }

    public String verdict() {
        return base() + "/verdict";
    }

    public String state() {
        return base() + "/state";
    }

    /** Retained JSON: the state with its reasons and the delivery figures behind it. */
    public String status() {
        return base() + "/status";
    }

    public String heartbeat() {
        return base() + "/heartbeat";
    }

    public String command(String name) {
        return base() + "/cmd/" + name;
    }

    public String reply(String name) {
        return base() + "/reply/" + name;
    }

    /** A remote HMI's commands: {@code hmi/cmd/<identity>/<name>}; the broker lets each identity write only its own. */
    public String hmiCommand(String identity, String name) {
        return base() + "/hmi/cmd/" + identity + "/" + name;
    }

    /** Where replies to HMI {@code identity} go: {@code hmi/reply/<identity>} and below (readable by it alone). */
    public String hmiReply(String identity) {
        return base() + "/hmi/reply/" + identity;
    }
}
