/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import io.linesight.station.secrets.Secrets;
import io.linesight.config.station.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.SocketFactory;
import javax.net.ssl.SSLException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jspecify.annotations.Nullable;

/**
 * How every connection of ours to the broker proves itself and protects its traffic: TLS from PEM files for
 * {@code ssl://} URLs (the CA to trust; a client certificate and key where the broker asks for one) and a user name
 * with a password from a file or {@code LINESIGHT_MQTT_PASSWORD}. The PLC link, the station's HMI publisher and a
 * remote HMI all take it from the same settings, so a broker that accepts the station accepts its HMI.
 *
 * @param passwordFile a file holding the password (trimmed); without it {@code LINESIGHT_MQTT_PASSWORD} is used
 */
public record BrokerSecurity(@Nullable String username, @Nullable Path passwordFile, @Nullable Path caFile,
                             @Nullable Path certFile, @Nullable Path keyFile) {
    public static final String PASSWORD_ENV = "LINESIGHT_MQTT_PASSWORD";
    /** Plain: no user, no TLS files (an {@code ssl://} URL then trusts the JVM's CAs). */
    public static final BrokerSecurity NONE = new BrokerSecurity(null, null, null, null, null);
    private static final int BAD_USER_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int V3_BAD_USER_OR_PASSWORD = 4;
    private static final int V3_NOT_AUTHORIZED = 5;

    /** The broker section of a station file; relative file names are relative to {@code configDir}. */
    public static BrokerSecurity of(BrokerConfig config, @Nullable Path configDir) {
        return new BrokerSecurity(config.username(), file(configDir, config.passwordFile()),
                file(configDir, config.caFile()), file(configDir, config.certFile()), file(configDir, config.keyFile()));
    }

    private static @Nullable Path file(@Nullable Path dir, @Nullable String name) {
        if (name == null) {
            return null;
        }
        return dir == null ? Path.of(name) : dir.resolve(name);
    }

    public boolean hasTlsFiles() {
        return caFile != null || certFile != null || keyFile != null;
    }

    /**
     * Sets the socket factory (TLS for {@code ssl://} and {@code wss://}, TCP_NODELAY either way) and the user name and
     * password on {@code options}.
     *
     * @throws IOException naming the file when a PEM file or the password file cannot be read or used
     */
    public void applyTo(MqttConnectionOptions options, String url) throws IOException {
        if (url.startsWith("ssl://") || url.startsWith("wss://")) {
            options.setSocketFactory(new NoDelaySslSocketFactory(TlsSockets.factory(caFile, certFile, keyFile)));
        } else {
            options.setSocketFactory(new NoDelaySocketFactory(SocketFactory.getDefault()));
        }
        if (username != null) {
            options.setUserName(username);
            byte[] password = password();
            if (password != null) {
                options.setPassword(password);
            }
        }
    }

    /** The password from {@code passwordFile} (trimmed) or {@value #PASSWORD_ENV}; null when neither is there. */
    public byte @Nullable [] password() throws IOException {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("broker password file " + passwordFile + " cannot be read: " + e, e);
            }
        }
        String env = System.getenv(PASSWORD_ENV);
        return env == null ? null : env.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Why a connection attempt failed, in words an engineer can act on: a refused user name or password, a TLS
     * handshake that failed, or Paho's own message.
     */
    public static String explain(MqttException e, String brokerUrl) {
        String url = Secrets.redact(brokerUrl);
        int code = e.getReasonCode();
        if (code == BAD_USER_OR_PASSWORD || code == NOT_AUTHORIZED || code == V3_BAD_USER_OR_PASSWORD
                || code == V3_NOT_AUTHORIZED) {
            return "broker " + url + " refused the user name or password (" + e.getMessage() + ", reason " + code
                    + "): check the user name and the password file or " + PASSWORD_ENV;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS with broker " + url + " failed (" + t.getMessage() + "): check the CA file and, where the "
                        + "broker asks for one, the client certificate and key";
            }
        }
        return "broker " + url + ": " + e.getMessage();
    }
}
