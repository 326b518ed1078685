/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process MQTT broker (HiveMQ CE embedded: MQTT 5 and 3.1.1) for the demo, bound to loopback only, in-memory
 * persistence, usage statistics off (a station makes no calls home). Real lines use their plant broker instead.
 *
 * <p>Optional at run time: the production package leaves HiveMQ out, and {@link #start} then refuses with what to do
 * instead rather than failing on a missing class.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private final EmbeddedHiveMQ hivemq;
    private final int port;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    /**
     * Starts the broker on {@code port} (0 = a free port; a busy preferred port also falls back to a free one).
     * Blocks until it accepts connections.
     */
    public static EmbeddedBroker start(Path workDir, int preferredPort) throws IOException {
        if (!available()) {
            throw new IOException(ABSENT);
        }
        int port = preferredPort > 0 && isFree(preferredPort) ? preferredPort : freePort();
        if (preferredPort > 0 && port != preferredPort) {
            log.atWarn().setMessage("embedded broker port busy, using another").addKeyValue("wanted", preferredPort)
                    .addKeyValue("port", port).log();
        }
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path ext = Files.createDirectories(workDir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        System.setProperty("hivemq.log.folder", workDir.resolve("log").toString());
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
                .withExtensionsFolder(ext).withoutLoggingBootstrap().build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("embedded MQTT broker did not start on port " + port + ": " + e.getMessage(), e);
        }
        log.atInfo().setMessage("embedded MQTT broker started").addKeyValue("url", "tcp://127.0.0.1:" + port).log();
        return new EmbeddedBroker(hivemq, port);
    }

    static final String ABSENT = "broker.url is 'embedded', but the embedded demo broker (HiveMQ CE) is not part of "
            + "this installation (the production package leaves it out): set broker.url to the plant's broker, or give "
            + "--broker tcp://127.0.0.1:1883 with a local Mosquitto (apt install mosquitto)";

    /** Whether HiveMQ CE is on the class path (the development build and the demo have it; the package does not). */
    public static boolean available() {
        try {
            Class.forName("com.hivemq.embedded.EmbeddedHiveMQ", false, EmbeddedBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get(20, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.atWarn().setMessage("embedded broker did not stop cleanly").addKeyValue("error", e.toString()).log();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
