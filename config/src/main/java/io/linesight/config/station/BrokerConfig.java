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
 * @param journalCapacity verdicts kept on disk until the broker acknowledges them; past it the station raises an
 *                     alarm and, with {@code stopLineWhenJournalFull}, goes to FAULT so the line stops (it never drops)
 * @param journalMaxMb bound of the unacknowledged verdicts in memory and on disk: at it the station refuses new
 *                     triggers (state FAULT, the PLC rejects at the gate) rather than grow without limit
 * @param journalSync  force each journaled verdict to the device before publishing it
 * @param maxCommandBytes larger command payloads are refused (a flood or a mistake must not stall the station)
 * @param commandQueue commands waiting to be handled; past it commands are refused with a "busy" reply
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
        @Default("json") Payload payload,
        @Default("100000") @Range(min = 10, max = 10_000_000) int journalCapacity,
        @Default("64") @Range(min = 1, max = 4096) int journalMaxMb,
        @Default("true") boolean journalSync,
        @Default("true") boolean stopLineWhenJournalFull,
        @Default("65536") @Range(min = 256, max = 1_048_576) int maxCommandBytes,
        @Default("1000") @Range(min = 1, max = 100_000) int commandQueue) {

    public enum Payload { JSON, COMPACT }

    public boolean embedded() {
        return "embedded".equals(url);
    }
}
