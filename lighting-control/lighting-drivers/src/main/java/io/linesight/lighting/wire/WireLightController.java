/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightException.Code;
import io.linesight.lighting.api.LightHealth;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller spoken to with text commands over a {@link Transport}: the part every wire driver shares. It bounds
 * each {@link #apply} by the configured timeout (connecting, greeting, sending and waiting for the acknowledgement
 * together), remembers what each channel holds to skip repeated commands, and reconnects after a drop, with
 * {@link ReconnectBackoff}.
 *
 * <p>A timeout or a broken link closes the connection: a late reply would otherwise be read as the answer to the
 * next command. What the channels hold is forgotten then, since the controller may have restarted; after every
 * reconnect the driver sends each channel's last acknowledged setting again, so the light is right before the next
 * part.
 *
 * <p><b>Keep-alive.</b> An unchanged setting causes no traffic, so a {@link KeepAlive} thread
 * ({@code light-keepalive-<id>}) watches the controller: when the link has been silent for
 * {@link LinkTiming#pollMs()}, it checks that the link is open and sends the protocol's harmless query; a link the
 * controller closed is reconnected at once, and a link that is down is reconnected as the backoff allows. The
 * controller is in fault when it cannot be reached, or does not answer within the timeout; that is
 * {@link #health()}.
 *
 * <p><b>Threads.</b> {@code apply} is called by one thread at a time (the sequencer's); it and the keep-alive take
 * turns on one exchange lock. The keep-alive never waits for the lock (an apply under way is itself the check); an
 * apply waits for a keep-alive exchange at most until its own deadline. {@link #health()} may be called from any
 * thread and never blocks. {@link #close()} may come from any thread and makes a pending {@code apply} fail at once
 * with {@link Code#NOT_CONNECTED}.
 */
public final class WireLightController implements LightController {
    private static final Logger LOG = LoggerFactory.getLogger(WireLightController.class);

    private final String id;
    private final Connector connector;
    private final WireProtocol protocol;
    private final int timeoutMs;
    private final long pollNanos;
    private final ReconnectBackoff backoff;
    private final LinkHealth health;
    private final ReentrantLock exchangeLock = new ReentrantLock();
    /** The command each channel acknowledged on the current connection; guarded by exchangeLock. */
    private final Map<Integer, String> held = new HashMap<>();
    /** The command each channel last acknowledged on any connection, re-sent after a reconnect; guarded by exchangeLock. */
    private final Map<Integer, String> wanted = new TreeMap<>();
    /** guarded by exchangeLock */
    private @Nullable String lastConnectFailure;
    /** When the controller last answered, or when the link went down; nanoTime, guarded by exchangeLock. */
    private long lastExchangeNanos = System.nanoTime();
    private long downSinceNanos = System.nanoTime();
    private boolean keepAliveRefusalLogged;
    private volatile @Nullable Transport transport;
    private volatile @Nullable KeepAlive keepAlive;
    private volatile LightHealth.@Nullable Fault closedFault;

    private WireLightController(String id, Connector connector, WireProtocol protocol, LinkTiming timing) {
        this.id = id;
        this.connector = connector;
        this.protocol = protocol;
        this.timeoutMs = timing.timeoutMs();
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(timing.pollMs());
        this.backoff = timing.backoff();
        this.health = new LinkHealth(id);
    }

    /** Connects and greets the controller within {@code timing.timeoutMs()}, or throws; then starts its keep-alive. */
    public static WireLightController open(String id, Connector connector, WireProtocol protocol, LinkTiming timing)
            throws LightException {
        if (timing.timeoutMs() < 1) {
            throw new LightException(Code.BAD_SETTING, "lights[" + id + "].timeoutMs: rejected " + timing.timeoutMs() + ", must be at least 1");
        }
        WireLightController controller = new WireLightController(id, connector, protocol, timing);
        controller.exchangeLock.lock();
        try {
            controller.connected(controller.deadline());
        } finally {
            controller.exchangeLock.unlock();
        }
        controller.keepAlive = KeepAlive.start(id, timing.tickMs(), controller::pollIfDue);
        return controller;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void apply(int channel, LightSetting setting) throws LightException {
        long deadline = deadline();
        lockBy(deadline);
        try {
            if (closed()) {
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
            if (!command.equals(held.get(channel))) { // a reconnect may just have restored this very setting
                send(link, channel, command, deadline);
            }
        } finally {
            exchangeLock.unlock();
        }
    }

    @Override
    public LightHealth health() {
        LightHealth.Fault closedNow = closedFault;
        return closedNow != null ? closedNow : health.get();
    }

    @Override
    public void close() {
        if (closed()) {
            return;
        }
        closedFault = new LightHealth.Fault("light controller '" + id + "' is closed", Instant.now());
        Transport link = transport;
        transport = null;
        if (link != null) {
            link.close();
            LOG.atInfo().addKeyValue("light", id).log("light controller closed ({})", link.describe());
        }
        KeepAlive watch = keepAlive;
        if (watch != null) {
            watch.close();
        }
    }

    private boolean closed() {
        return closedFault != null;
    }

    /**
     * One keep-alive tick (the keep-alive thread): reconnects a lost link when the backoff allows, or asks the
     * controller when the link has been silent for the poll period. Skips the tick while an apply holds the link.
     */
    void pollIfDue() {
        if (!exchangeLock.tryLock()) {
            return;
        }
        try {
            if (closed()) {
                return;
            }
            long now = System.nanoTime();
            Transport link = transport;
            if (link == null) {
                // the next apply has the first go at a reconnect; the keep-alive follows after the shortest backoff
                if (now - downSinceNanos >= backoff.minNanos() && backoff.mayAttempt(now)) {
                    connected(deadline());
                }
            } else if (now - lastExchangeNanos >= pollNanos) {
                keepAlive(link, deadline());
            }
        } catch (LightException e) {
            LOG.atDebug().addKeyValue("light", id).log("keep-alive reconnect failed: {}", e.getMessage());
        } finally {
            exchangeLock.unlock();
        }
    }

    private void keepAlive(Transport link, long deadline) {
        String query = protocol.keepAliveCommand();
        String shown = query == null ? "" : WireText.printable(WireText.stripEol(query));
        try {
            checkOpen(link);
            if (query != null) {
                link.write(query.getBytes(StandardCharsets.ISO_8859_1));
                protocol.awaitAcknowledgement(query, new ReplyReader(link, deadline));
            }
            answered();
        } catch (RefusedReply refused) {
            answered(); // it answered, so it is alive; the query itself is wrong for this controller
            if (!keepAliveRefusalLogged) {
                keepAliveRefusalLogged = true;
                LOG.atWarn().addKeyValue("light", id).log("light controller answers the keep-alive '{}' with an error ({}); it still counts as"
                        + " alive, but a query it understands is better", shown, refused.text());
            }
        } catch (ReplyTimeoutException timeout) {
            lost(link, "light controller '" + id + "' (" + link.describe() + ") did not answer the keep-alive '" + shown + "' within "
                    + timeoutMs + " ms" + (timeout.received().isEmpty() ? "" : "; received '" + WireText.printable(timeout.received()) + "'"));
        } catch (IOException broken) {
            // a controller may close a link it finds idle, or have restarted: only if it cannot be reached again is it
            // in fault (and the reconnect's failure says why)
            drop(link);
            LOG.atDebug().addKeyValue("light", id).log("keep-alive found the link closed ({}); reconnecting", broken.getMessage());
            try {
                connected(deadline());
            } catch (LightException e) {
                LOG.atDebug().addKeyValue("light", id).log("reconnect after a closed link failed: {}", e.getMessage());
            }
        }
    }

    private void send(Transport link, int channel, String command, long deadline) throws LightException {
        String shown = WireText.stripEol(command);
        try {
            discardStaleInput(link);
            link.write(command.getBytes(StandardCharsets.ISO_8859_1));
            protocol.awaitAcknowledgement(command, new ReplyReader(link, deadline));
            held.put(channel, command);
            wanted.put(channel, command);
            answered();
            LOG.atDebug().addKeyValue("light", id).addKeyValue("channel", channel).log("acknowledged {}", shown);
        } catch (RefusedReply refused) {
            held.remove(channel);
            wanted.remove(channel);
            answered(); // a refusal is an answer: the controller is alive, only this setting is wrong
            throw refusedException(shown, refused);
        } catch (ReplyTimeoutException timeout) {
            String why = "did not acknowledge '" + WireText.printable(shown) + "' within " + timeoutMs + " ms"
                    + (timeout.received().isEmpty() ? "" : "; received '" + WireText.printable(timeout.received()) + "'")
                    + protocol.awaitedReply();
            throw lost(link, new LightException(Code.TIMEOUT, "light controller '" + id + "' (" + link.describe() + ") " + why, timeout));
        } catch (IOException broken) {
            if (closed()) {
                drop(link);
                throw closedException();
            }
            throw lost(link, new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' (" + link.describe()
                    + "): connection lost while sending '" + WireText.printable(shown) + "' (" + broken.getMessage()
                    + "); it will reconnect", broken));
        }
    }

    /**
     * The live connection, or a new one if the backoff allows: greets the controller, then sends every channel's last
     * acknowledged setting again (the controller may have restarted and lost them).
     */
    private Transport connected(long deadline) throws LightException {
        Transport link = transport;
        if (link != null) {
            return link;
        }
        long now = System.nanoTime();
        if (!backoff.mayAttempt(now)) {
            throw failed(new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' (" + connector.describe() + ") is not connected ("
                    + lastConnectFailure + "); next reconnect attempt in " + backoff.waitLeftMs(now) + " ms"));
        }
        try {
            link = connector.connect(remainingMs(deadline));
        } catch (IOException | RuntimeException e) {
            connectFailed(now, String.valueOf(e.getMessage()));
            throw failed(new LightException(Code.NOT_CONNECTED, "cannot connect to light controller '" + id + "' at " + connector.describe() + ": "
                    + e.getMessage() + " (next attempt allowed in " + backoff.currentWaitMs() + " ms)", e));
        }
        @Nullable String greeting;
        try {
            greeting = protocol.greet(link, new ReplyReader(link, deadline));
        } catch (ReplyTimeoutException e) {
            link.close();
            connectFailed(now, "no answer to the greeting");
            throw failed(new LightException(Code.TIMEOUT, "light controller '" + id + "' (" + link.describe() + ") accepted the connection but did not answer within "
                    + timeoutMs + " ms" + (e.received().isEmpty() ? "" : "; received '" + WireText.printable(e.received()) + "'"), e));
        } catch (IOException e) {
            link.close();
            connectFailed(now, String.valueOf(e.getMessage()));
            throw failed(new LightException(Code.NOT_CONNECTED, "light controller '" + id + "' (" + link.describe() + ") dropped the connection at once: "
                    + e.getMessage(), e));
        } catch (RefusedReply e) {
            link.close();
            connectFailed(now, "greeting refused: " + e.text());
            throw failed(refusedException("greeting", e));
        }
        transport = link;
        if (closed()) { // close() ran while we connected: it could not see this link
            transport = null;
            link.close();
            throw closedException();
        }
        backoff.succeeded();
        held.clear();
        lastConnectFailure = null;
        LOG.atInfo().addKeyValue("light", id).log("light controller connected ({}){}", link.describe(), greeting == null ? "" : ": " + greeting);
        restore(link, deadline);
        answered();
        health.ok();
        return link;
    }

    /** Sends each channel's last acknowledged setting on a fresh connection. */
    private void restore(Transport link, long deadline) throws LightException {
        if (wanted.isEmpty()) {
            return;
        }
        for (Map.Entry<Integer, String> channel : new TreeMap<>(wanted).entrySet()) {
            try {
                send(link, channel.getKey(), channel.getValue(), deadline);
            } catch (ControllerRefusedException refused) {
                // it took this setting before; the refusal is logged and the station's next apply of it will say more
                LOG.atWarn().addKeyValue("light", id).addKeyValue("channel", channel.getKey()).log("setting not restored: {}", refused.getMessage());
            }
        }
        LOG.atInfo().addKeyValue("light", id).addKeyValue("channels", held.keySet()).log("light settings re-sent after reconnect");
    }

    /** Waits for the exchange lock (a keep-alive exchange under way) at most until {@code deadline}. */
    private void lockBy(long deadline) throws LightException {
        try {
            if (!exchangeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new LightException(Code.TIMEOUT, "light controller '" + id + "' was busy with a keep-alive exchange for " + timeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightException(Code.NOT_CONNECTED, "light controller '" + id + "': interrupted while waiting for the link", e);
        }
    }

    /** Throws {@link EOFException} when the controller closed the link (TCP reports it only to a read). */
    private void checkOpen(Transport link) throws IOException {
        discardStaleInput(link);
        byte[] probe = new byte[64];
        if (link.read(probe, 1) < 0) {
            throw new EOFException("the controller closed the connection");
        }
    }

    /** The controller answered (a live link is a healthy one: connected() clears a fault once it is restored). */
    private void answered() {
        lastExchangeNanos = System.nanoTime();
    }

    private void connectFailed(long now, String why) {
        backoff.failed(now);
        lastConnectFailure = why;
        downSinceNanos = now;
        LOG.atDebug().addKeyValue("light", id).log("light controller {} unreachable: {}; retry in {} ms", connector.describe(), why, backoff.currentWaitMs());
    }

    /** The link is broken or timed out: closes it and records the fault. */
    private void lost(Transport link, String reason) {
        drop(link);
        health.fault(reason);
        LOG.atDebug().addKeyValue("light", id).log("light controller connection dropped: {}", reason);
    }

    private LightException lost(Transport link, LightException e) {
        lost(link, e.getMessage());
        return e;
    }

    private void drop(Transport link) {
        transport = null;
        link.close();
        held.clear();
        downSinceNanos = System.nanoTime();
    }

    private LightException failed(LightException e) {
        if (!closed()) {
            health.fault(e.getMessage());
        }
        return e;
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
