/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

/**
 * One GenICam node write, planned before touching the device so the mapping from station config to Spinnaker
 * nodes is plain data (and testable without the SDK).
 *
 * @param node     GenICam (SFNC) node name
 * @param kind     how to write it
 * @param value    the value as text (enumeration entry symbol, number, true/false; ignored for commands)
 * @param optional true when a device without the node is fine (vendor quirks), false when it must refuse
 */
record NodeWrite(String node, Kind kind, String value, boolean optional) {
    enum Kind { ENUM, FLOAT, INTEGER, BOOLEAN, COMMAND, ANY }

    static NodeWrite enumeration(String node, String entry) {
        return new NodeWrite(node, Kind.ENUM, entry, false);
    }

    static NodeWrite optionalEnum(String node, String entry) {
        return new NodeWrite(node, Kind.ENUM, entry, true);
    }

    static NodeWrite real(String node, double value) {
        return new NodeWrite(node, Kind.FLOAT, Double.toString(value), false);
    }

    static NodeWrite bool(String node, boolean value, boolean optional) {
        return new NodeWrite(node, Kind.BOOLEAN, Boolean.toString(value), optional);
    }

    static NodeWrite integer(String node, long value) {
        return new NodeWrite(node, Kind.INTEGER, Long.toString(value), false);
    }

    static NodeWrite command(String node) {
        return new NodeWrite(node, Kind.COMMAND, "", false);
    }

    /** A recipe's vendor feature: converted by the node's own type (GenICam FromString). */
    static NodeWrite any(String node, String value) {
        return new NodeWrite(node, Kind.ANY, value, false);
    }

    @Override
    public String toString() {
        return node + "=" + (kind == Kind.COMMAND ? "<execute>" : value);
    }
}
