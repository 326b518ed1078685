/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightException.Code;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller spoken to with text commands over a {@link Transport}: the part every wire driver shares. It bounds
 * each {@link #apply} by the configured timeout (connecting, greeting, sending and waiting for the acknowledgement
 * together), remembers what each channel holds to skip repeated commands, and reconnects on the next apply after a
 * drop, with {@link ReconnectBackoff}.
 *
 * <p>A timeout or a broken link closes the connection: a late reply would otherwise be read as the answer to the
 * next command. What the channels hold is forgotten then, since the controller may have restarted.
 *
 * <p><b>Threads.</b> {@code apply} is called by one thread at a time (the sequencer's); {@link #close()} may come
 * from any thread and makes a pending {@code apply} fail at once with {@link Code#NOT_CONNECTED}.
 */
public final class WireLightController implements LightController {
    private static final Logger LOG = LoggerFactory.getLogger(WireLightController.class);

    private final String id;
    private final Connector connector;
    private final WireProtocol protocol;
    private final int timeoutMs;
    private final ReconnectBackoff backoff;
    private final Object applyLock = new Object();
    /** The command each channel last acknowledged; guarded by applyLock. */
    private final Map<Integer, String> held = new HashMap<>();
    private @Nullable String lastConnectFailure;
    private volatile @Nullable Transport transport;
    private volatile boolean healthy;
    private volatile boolean closed;

    private WireLightController(String id, Connector connector, WireProtocol protocol, int timeoutMs, ReconnectBackoff backoff) {
        this.id = id;
        this.connector = connector;
        this.protocol = protocol;
        this.timeoutMs = timeoutMs;
        this.backoff = backoff;
    }

    /** Connects and greets the controller within {@code timeoutMs}, or throws. */
    public static WireLightController open(String id, Connector connector, WireProtocol protocol, int timeoutMs, ReconnectBackoff backoff)
            throws LightException {
        if (timeoutMs < 1) {
            throw new LightException(Code.BAD_SETTING, "lights[" + id + "].timeoutMs: rejected " + timeoutMs + ", must be at least 1");
        }
        WireLightController controller = new WireLightController(id, connector, protocol, timeoutMs, backoff);
        synchronized (controller.applyLock) {
            controller.connected(controller.deadline());
        }
        return controller;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void apply(int channel, LightSetting setting) throws LightException {
        long deadline = deadline();
        synchronized (applyLock) {
            if (closed) {
                throw closedException();
            }
            if (channel < 1) {
                throw new LightException(Code.BAD_SETTING, "light controller '" + id + "': channel " + channel + " must be 1 or more");
            }
            String command = protocol.command(channel, setting);
            if (command.equals(held.get(channel))) {
                return; // the channel holds this setting already
            }
            Transport link = connected(deadline);
            send(link, channel, command, deadline);
            held.put(channel, command);
        }
    }

    @Override
    public boolean healthy() {
        return healthy && !closed;
    }

    @Override
    public void close() {
        closed = true;
        healthy = false;
        Transport link = transport;
        transport = null;
        if (link != null) {
            link.close();
            LOG.atInfo().addKeyValue("light", id).log("light controller closed ({})", link.describe());
        }
    }

    private void send(Transport link, int channel, String command, long deadline) throws LightException {
        String shown = WireText.stripEol(command);
        try {
            discardStaleInput(link);
            link.write(command.getBytes(StandardCharsets.ISO_8859_1));
            protocol.awaitAcknowledgement(command, new ReplyReader(link, deadline));
            healthy = true;
            LOG.atDebug().addKeyValue("light", id).addKeyValue("channel", channel).log("acknowledged {}", shown);
        } catch (RefusedReply refused) {
            held.remove(channel);
            healthy = false;
            throw refusedException(shown, refused);
        } catch (ReplyTimeoutException timeout) {
            drop(link, "no acknowledgement within " + timeoutMs + " ms");
            throw new LightException(Code.TIMEOUT, "light controller '" + id + "' (" + link.describe() + ") did not acknowledge '"
                    + WireText.printable(shown) + "' within " + timeoutMs + " ms"
                    + (timeout.received().isEmpty() ? "" : "; received '" + WireText.printable(timeout.received()) + "'")
                    + protocol.awaitedReply(), timeout);
        } catch (IOException broken) {
            drop(link, String.valueOf(broken.getMessage()));
            if (closed) {
                throw closedException();
            }
            throw new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' (" + link.describe() + "): connection lost while sending '"
                    + WireText.printable(shown) + "' (" + broken.getMessage() + "); it will reconnect on the next apply", broken);
        }
    }

    /** The live connection, or a new one if the backoff allows; greets the controller after connecting. */
    private Transport connected(long deadline) throws LightException {
        Transport link = transport;
        if (link != null) {
            return link;
        }
        long now = System.nanoTime();
        if (!backoff.mayAttempt(now)) {
            throw new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' (" + connector.describe() + ") is not connected ("
                    + lastConnectFailure + "); next reconnect attempt in " + backoff.waitLeftMs(now) + " ms");
        }
        try {
            link = connector.connect(remainingMs(deadline));
        } catch (IOException | RuntimeException e) {
            connectFailed(now, String.valueOf(e.getMessage()));
            throw new LightException(Code.NOT_CONNECTED, "cannot connect to light controller '" + id + "' at " + connector.describe() + ": "
                    + e.getMessage() + " (next attempt allowed in " + backoff.currentWaitMs() + " ms)", e);
        }
        @Nullable String greeting;
        try {
            greeting = protocol.greet(link, new ReplyReader(link, deadline));
        } catch (ReplyTimeoutException e) {
            link.close();
            connectFailed(now, "no answer to the greeting");
            throw new LightException(Code.TIMEOUT, "light controller '" + id + "' (" + link.describe() + ") accepted the connection but did not answer within "
                    + timeoutMs + " ms" + (e.received().isEmpty() ? "" : "; received '" + WireText.printable(e.received()) + "'"), e);
        } catch (IOException e) {
            link.close();
            connectFailed(now, String.valueOf(e.getMessage()));
            throw new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' (" + link.describe() + ") dropped the connection at once: "
                    + e.getMessage(), e);
        } catch (RefusedReply e) {
            link.close();
            connectFailed(now, "greeting refused: " + e.text());
            throw refusedException("greeting", e);
        }
        transport = link;
        if (closed) { // close() ran while we connected: it could not see this link
            transport = null;
            link.close();
            throw closedException();
        }
        backoff.succeeded();
        held.clear();
        healthy = true;
        lastConnectFailure = null;
        LOG.atInfo().addKeyValue("light", id).log("light controller connected ({}){}", link.describe(), greeting == null ? "" : ": " + greeting);
        return link;
    }

    private void connectFailed(long now, String why) {
        backoff.failed(now);
        lastConnectFailure = why;
        healthy = false;
        LOG.atWarn().addKeyValue("light", id).log("light controller {} unreachable: {}; retry in {} ms", connector.describe(), why, backoff.currentWaitMs());
    }

    private void drop(Transport link, String why) {
        transport = null;
        link.close();
        held.clear();
        healthy = false;
        if (!closed) {
            LOG.atWarn().addKeyValue("light", id).log("light controller connection dropped ({}): {}", link.describe(), why);
        }
    }

    private void discardStaleInput(Transport link) throws IOException {
        int discarded = 0;
        byte[] junk = new byte[256];
        for (int rounds = 0; rounds < 64 && link.available() > 0; rounds++) {
            int n = link.read(junk, 1);
            if (n <= 0) {
                break;
            }
            discarded += n;
        }
        if (discarded > 0) {
            LOG.atDebug().addKeyValue("light", id).log("discarded {} stale bytes before a command", discarded);
        }
    }

    private ControllerRefusedException refusedException(String command, RefusedReply refused) {
        String code = refused.code() == null ? "" : "Err " + refused.code() + ": ";
        return new ControllerRefusedException("light controller '" + id + "' refused '" + WireText.printable(command) + "': " + code + refused.text(),
                command, refused.code(), refused.text());
    }

    private LightException closedException() {
        return new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' is closed");
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    private static int remainingMs(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
