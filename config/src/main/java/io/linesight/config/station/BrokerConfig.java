/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import org.jspecify.annotations.Nullable;

/**
 * The PLC link's MQTT broker. Secrets are never written here: {@code passwordFile} names a file, or the
 * {@code LINESIGHT_MQTT_PASSWORD} environment variable supplies it.
 *
 * @param url          {@code embedded} (an in-process broker, demo only) or {@code tcp://host:port} / {@code ssl://host:port}
 * @param embeddedPort port of the embedded broker on loopback; 0 picks a free one
 * @param keepAliveS   MQTT keep-alive: a dead connection is noticed within about 1.5 times this
 * @param payload      verdict payload: {@code json}, or {@code compact} ({@code partId;seq;0|1;reasonCode})
 */
public record BrokerConfig(
        @Default("embedded") String url,
        @Default("1883") @Range(min = 0, max = 65535) int embeddedPort,
        @Nullable String clientId,
        @Nullable String username,
        @Nullable String passwordFile,
        @Nullable String caFile,
        @Nullable String certFile,
        @Nullable String keyFile,
        @Default("5") @Range(min = 1, max = 3600) int keepAliveS,
        @Default("json") Payload payload) {

    public enum Payload { JSON, COMPACT }

    public boolean embedded() {
        return "embedded".equals(url);
    }
}
