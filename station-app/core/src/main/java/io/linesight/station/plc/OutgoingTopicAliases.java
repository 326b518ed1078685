/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.internal.MqttConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a Paho MQTT 5 client from using topic aliases on what it publishes. Paho assigns an alias to a topic as soon
 * as a publish is handed to it, before it checks its in-flight window: a publish it then refuses ("too many publishes
 * in progress") leaves the alias registered while the packet that would have told the broker about it was never
 * sent, and every later publish to that topic goes out as the bare alias, which the broker cannot map; it drops the
 * connection ("Topic alias in PUBLISH could not be mapped", seen on the PLC link at 100 parts/s). Aliases save a few
 * bytes per message, nothing the line needs. Call from {@code connectComplete}: the broker's CONNACK sets the allowed
 * number again on every connect.
 */
public final class OutgoingTopicAliases {
    private static final Logger log = LoggerFactory.getLogger(OutgoingTopicAliases.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private OutgoingTopicAliases() {
    }

    /** From now on (until the next connect) {@code client} sends every topic in full. Never throws. */
    public static void off(MqttAsyncClient client) {
        try {
            Field f = MqttAsyncClient.class.getDeclaredField("mqttConnection");
            f.setAccessible(true);
            ((MqttConnectionState) f.get(client)).setOutgoingTopicAliasMaximum(0);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (WARNED.compareAndSet(false, true)) {
                log.atWarn().setMessage("cannot turn off MQTT topic aliases in this Paho version; a broker that allows "
                        + "them may drop the connection under load").addKeyValue("error", e.toString()).log();
            }
        }
    }
}
