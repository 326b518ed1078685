/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.publish;

import io.linesight.config.PixelFormat;
import io.linesight.station.plc.ConnectCallback;
import io.linesight.station.plc.OutgoingTopicAliases;
import io.linesight.station.secrets.Secrets;
import io.linesight.station.Station;
import io.linesight.station.archive.PngEncoder;
import io.linesight.station.fanout.LatestImages;
import io.linesight.station.fanout.ResultListener;
import io.linesight.station.RecipeNames;
import io.linesight.station.result.Inspection;
import io.linesight.station.plc.BrokerSecurity;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's side of the remote HMI: publishes the latest part, the latest image of each shot and a retained
 * status under {@code linesight/{line}/{station}/hmi/} for {@code station hmi} processes on this or another machine.
 *
 * <p>It never slows the inspection path: {@link #onResult} runs on the viewer-dispatch thread (latest wins) and only
 * hands references over. Images are the station's viewer copies, downscaled once per part on the deciding thread and
 * shared with the local HMI; at most {@link #IMAGES_PER_S} times a second a part's images are encoded (PNG, the
 * archive's fast encoder, buffers reused) and published followed by that part, so a remote screen can show a part with
 * its own images. Encoding and publishing happen on this publisher's own thread, through its own MQTT connection at QoS 0, so HMI traffic can never queue
 * behind or in front of a verdict. While the broker is away nothing is buffered: the next status catches up.
 */
public final class HmiPublisher implements ResultListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HmiPublisher.class);
    static final int PARTS_PER_S = 10;
    static final int IMAGES_PER_S = 5;

    private final Station station;
    private final HmiTopics topics;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService thread;
    private final AtomicReference<@Nullable Inspection> pendingPart = new AtomicReference<>();
    private final AtomicReference<@Nullable Pictured> pendingImages = new AtomicReference<>();
    private final AtomicLong published = new AtomicLong();
    private final PngEncoder png = new PngEncoder(); // publisher thread only

    /** A part with its own images, to be published together. */
    private record Pictured(Inspection part, LatestImages.PartImages images) {
    }

    private HmiPublisher(Station station, MqttAsyncClient client) {
        this.station = station;
        this.topics = new HmiTopics(station.config().line(), station.config().station());
        this.client = client;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hmi-publisher");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.setUncaughtExceptionHandler((th, e) -> log.atError().setMessage("HMI publisher failed")
                    .addKeyValue("error", e.toString()).log());
            return t;
        });
    }

    /**
     * Connects to the station's broker (a connection of its own, reconnecting by itself) with the security of the
     * station's broker section (TLS files, user name and password, as the PLC link uses them) and starts publishing.
     * Returns at once even when the broker is not there yet; a broker that refuses the connection is logged as an error
     * saying why.
     *
     * @throws IOException when a TLS or password file named in the broker section cannot be used
     */
    public static HmiPublisher start(Station station) throws IOException {
        HmiTopics topics = new HmiTopics(station.config().line(), station.config().station());
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(station.brokerUrl(), "linesight-hmi-" + station.config().line() + "-"
                    + station.config().station(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException(Secrets.redact("HMI publisher: broker URL " + station.brokerUrl() + ": " + e.getMessage()), e);
        }
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 5);
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(10);
        String url = station.brokerUrl();
        try {
            BrokerSecurity.of(station.config().broker(), station.configDir()).applyTo(o, url);
        } catch (IOException e) {
            throw new IOException("HMI publisher: " + e.getMessage(), e);
        }
        MqttMessage will = new MqttMessage(RemoteStatus.offline(), 0, true, new MqttProperties());
        o.setWill(topics.status(), will);
        HmiPublisher p = new HmiPublisher(station, client);
        // QoS 0 images dropped while the client is busy would otherwise leave an alias the broker never learned
        client.setCallback(new ConnectCallback(() -> OutgoingTopicAliases.off(client)));
        try {
            client.connect(o, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    log.atInfo().setMessage("HMI publisher connected").addKeyValue("broker", Secrets.redact(url)).log();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    String why = e instanceof MqttException m ? BrokerSecurity.explain(m, url) : String.valueOf(e);
                    log.atError().setMessage("HMI publisher cannot connect; remote HMIs see nothing")
                            .addKeyValue("error", why).log();
                }
            });
        } catch (MqttException e) {
            throw new IOException("HMI publisher: cannot connect: " + BrokerSecurity.explain(e, url), e);
        }
        p.thread.scheduleWithFixedDelay(p::publishPart, 100, 1000 / PARTS_PER_S, TimeUnit.MILLISECONDS);
        p.thread.scheduleWithFixedDelay(p::publishImages, 150, 1000 / IMAGES_PER_S, TimeUnit.MILLISECONDS);
        p.thread.scheduleWithFixedDelay(p::publishStatus, 0, 1000, TimeUnit.MILLISECONDS);
        station.results().addListener(p);
        log.atInfo().setMessage("HMI publisher started").addKeyValue("topics", topics.base() + "hmi/#").log();
        return p;
    }

    @Override
    public void onResult(Inspection latest, LatestImages.@Nullable PartImages images) {
        pendingPart.set(latest);
        if (images != null) {
            pendingImages.set(new Pictured(latest, images)); // shared, never written again: no copy
        }
    }

    private void publishPart() {
        Inspection p = pendingPart.getAndSet(null);
        if (p != null) {
            send(topics.part(), PartJson.encode(p), false, null);
        }
    }

    private void publishImages() {
        Pictured p = pendingImages.getAndSet(null);
        if (p == null) {
            return;
        }
        p.images().shots().forEach((shot, img) -> {
            MqttProperties props = new MqttProperties();
            props.setContentType("image/png");
            props.setUserProperties(List.of(new UserProperty("partId", img.partId()),
                    new UserProperty("frameWidth", Integer.toString(img.frameWidth())),
                    new UserProperty("frameHeight", Integer.toString(img.frameHeight()))));
            send(topics.image(shot), png(img), false, props);
        });
        // then the part they show: a remote screen shows a part with its own images (same connection, same order)
        send(topics.part(), PartJson.encode(p.part()), false, null);
    }

    private void publishStatus() {
        try {
            publishStatusNow();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: log and keep the status going
            log.atWarn().setMessage("HMI status not published").addKeyValue("error", e.toString()).log();
        }
    }

    private void publishStatusNow() {
        var s = station.stats().snapshot();
        RemoteStatus status = new RemoteStatus(true, Instant.now(), s, station.inFlight(), station.devices().health(),
                station.devices().orphanFrames(), station.results().skippedByViewers(), station.executionProvider(),
                Secrets.redact(station.brokerUrl()), station.brokerConnected(), station.storePending(), station.recipe().label(),
                RecipeNames.in(station.recipeDir()), station.alarms().banner(), station.keeping());
        send(topics.status(), status.encode(), true, null);
    }

    private void send(String topic, byte[] payload, boolean retained, @Nullable MqttProperties props) {
        if (!client.isConnected()) {
            return; // latest wins: nothing is kept for later
        }
        MqttMessage m = new MqttMessage(payload, 0, retained, props == null ? new MqttProperties() : props);
        try {
            client.publish(topic, m);
            published.incrementAndGet();
        } catch (MqttException e) {
            log.atDebug().setMessage("HMI message not sent").addKeyValue("topic", topic)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    /** One viewer image as an 8-bit grey PNG; publisher thread (the encoder's buffers are reused). */
    private byte[] png(LatestImages.Image img) {
        int length = png.encode(img.width(), img.height(), PixelFormat.MONO8, img.grey());
        return java.util.Arrays.copyOf(png.bytes(), length); // Paho keeps the array until the message is written
    }

    /** Messages handed to the broker connection so far (tests, diagnostics). */
    public long published() {
        return published.get();
    }

    /** Stops publishing and says goodbye with a retained offline status; the station keeps running. */
    @Override
    public void close() {
        station.results().removeListener(this);
        thread.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(topics.status(), new MqttMessage(RemoteStatus.offline(), 0, true, new MqttProperties()))
                        .waitForCompletion(1000);
                client.disconnect().waitForCompletion(1000);
            }
        } catch (MqttException e) {
            log.atDebug().setMessage("HMI publisher did not disconnect cleanly").addKeyValue("error", e.getMessage()).log();
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.atDebug().setMessage("HMI publisher client not closed").addKeyValue("error", e.getMessage()).log();
        }
    }
}
