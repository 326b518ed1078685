/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

/** The Sparkplug B 3.0 topics of one edge node with one device: {@code spBv1.0/<group>/<TYPE>/<edgeNode>[/<device>]}. */
public record SparkplugTopics(String groupId, String edgeNodeId, String deviceId) {
    public static final String NAMESPACE = "spBv1.0";

    private String node(String type) {
        return NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId;
    }

    private String device(String type) {
        return node(type) + "/" + deviceId;
    }

    public String nbirth() {
        return node("NBIRTH");
    }

    public String ndeath() {
        return node("NDEATH");
    }

    public String ncmd() {
        return node("NCMD");
    }

    public String dbirth() {
        return device("DBIRTH");
    }

    public String ddata() {
        return device("DDATA");
    }

    public String ddeath() {
        return device("DDEATH");
    }

    /** Where a primary host application says whether it is online (Sparkplug 3.0; retained). */
    public static String hostState(String hostId) {
        return NAMESPACE + "/STATE/" + hostId;
    }
}
