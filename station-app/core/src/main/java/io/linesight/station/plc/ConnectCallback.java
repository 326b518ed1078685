/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho callback for a client that only publishes: {@code onConnect} runs on Paho's callback thread after every
 * (re)connect, {@code onLost} when the broker or the network drops it; nothing else is of interest.
 */
public record ConnectCallback(Runnable onConnect, Runnable onLost) implements MqttCallback {
    public ConnectCallback(Runnable onConnect) {
        this(onConnect, () -> { });
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        onConnect.run();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        onLost.run();
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
