/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Pattern;
import io.linesight.config.bind.Range;
import org.jspecify.annotations.Nullable;

/**
 * The optional Sparkplug B namespace (docs/PLC.md, "Sparkplug B"): the station as an edge node with one device,
 * beside the plain {@code linesight/…} topics. Sparkplug ids are topic levels, so they cannot hold {@code / + #}.
 *
 * @param groupId       Sparkplug group; the line id when absent
 * @param edgeNodeId    edge node id; the station id when absent
 * @param deviceId      the device that carries the verdict metrics; the station id when absent
 * @param primaryHostId when set, births wait until {@code spBv1.0/STATE/<primaryHostId>} says the host is online
 * @param url           broker URL; the station's PLC broker when absent
 * @param clientId      MQTT client id; {@code linesight-sp-<group>-<edgeNode>} when absent
 * @param keepAliveS    MQTT keep-alive: the NDEATH will fires within about 1.5 times this after the station dies
 * @param queue         verdicts waiting for DDATA; past it they are dropped for this namespace (counted), the PLC
 *                      link is never slowed
 * @param username      with {@code url}: user name at that broker (without {@code url} the PLC link's credentials
 *                      and TLS files are used, since it is the same broker)
 * @param passwordFile  with {@code url}: file holding the password (else {@code LINESIGHT_MQTT_PASSWORD})
 * @param caFile        with an {@code ssl://} {@code url}: PEM CA to trust
 * @param certFile      with an {@code ssl://} {@code url}: PEM client certificate
 * @param keyFile       with an {@code ssl://} {@code url}: PKCS#8 PEM client key
 */
public record SparkplugConfig(
        @Nullable @Pattern(value = ID, hint = HINT) String groupId,
        @Nullable @Pattern(value = ID, hint = HINT) String edgeNodeId,
        @Nullable @Pattern(value = ID, hint = HINT) String deviceId,
        @Nullable @Pattern(value = ID, hint = HINT) String primaryHostId,
        @Nullable String url,
        @Nullable String clientId,
        @Default("5") @Range(min = 1, max = 3600) int keepAliveS,
        @Default("1000") @Range(min = 1, max = 1_000_000) int queue,
        @Nullable String username,
        @Nullable String passwordFile,
        @Nullable String caFile,
        @Nullable String certFile,
        @Nullable String keyFile) {

    static final String ID = "[^/+#]{1,64}";
    static final String HINT = "1 to 64 characters without '/', '+' or '#' (a Sparkplug topic level)";
}
