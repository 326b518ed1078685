/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Gardasoft-style lighting controller on a real TCP socket, for tests and the demo: it listens on a free loopback
 * port, parses every command the way {@link GardasoftSimProtocol} describes, remembers each channel's setting, and can
 * be told to answer slowly, to drop the connection or to answer with an error. Like the controllers it models, it
 * closes a connection on which no byte arrived for {@link #DEFAULT_IDLE_TIMEOUT} (see {@link #idleTimeout}).
 *
 * <p><b>Threads.</b> One acceptor thread and one thread per connection, all daemons named {@code gardasoft-sim-*}.
 * Every method may be called from any thread; the knobs take effect on the next command the server reads.
 */
public final class GardasoftSimServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GardasoftSimServer.class);
    /** Gardasoft-style controllers close their TCP command link after about this much silence. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final GardasoftSimProtocol protocol;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger idleClosures = new AtomicInteger();
    private final AtomicBoolean dropOnNextCommand = new AtomicBoolean();
    private final Thread acceptor;
    private volatile long replyDelayMillis;
    private volatile int idleTimeoutMillis = (int) DEFAULT_IDLE_TIMEOUT.toMillis();
    private volatile int injectedError;
    private volatile boolean echo;
    private volatile boolean closed;

    private GardasoftSimServer(ServerSocket server, int channels) {
        this.server = server;
        this.protocol = new GardasoftSimProtocol(channels);
        this.acceptor = Thread.ofPlatform().daemon().name("gardasoft-sim-accept-" + server.getLocalPort()).unstarted(this::acceptLoop);
    }

    /** Starts a server with 8 output channels on a free loopback port. */
    public static GardasoftSimServer start() throws IOException {
        return start(8);
    }

    /** Starts a server with {@code channels} output channels on a free loopback port. */
    public static GardasoftSimServer start(int channels) throws IOException {
        return startOn(0, channels);
    }

    /**
     * Starts a fresh server with {@code channels} output channels on loopback {@code port} (0: a free one): to bring
     * a controller back on the address a station was configured with, as after a power cycle (nothing is set).
     */
    public static GardasoftSimServer startOn(int port, int channels) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true); // the port of a controller just stopped may still be in TIME_WAIT
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        GardasoftSimServer sim = new GardasoftSimServer(socket, channels);
        sim.acceptor.start();
        return sim;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} as a station's {@code lights[].address} names it. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /** Waits this long before each reply (0 = answer at once). The command still takes effect, as on a slow device. */
    public void replyDelay(Duration delay) {
        this.replyDelayMillis = delay.toMillis();
    }

    /** Echoes every command line before the reply, as the controllers do on their serial port. */
    public void echo(boolean on) {
        this.echo = on;
    }

    /** Answers every following command with {@code Err <code>} and changes nothing; 0 clears the fault. */
    public void replyWithError(int code) {
        this.injectedError = code;
    }

    /**
     * Closes a connection on which nothing arrived for this long, as the controllers do; {@link Duration#ZERO} never
     * closes. Applies from the next byte each connection waits for.
     */
    public void idleTimeout(Duration timeout) {
        this.idleTimeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    /** Connections closed so far because they were idle for the idle timeout. */
    public int idleClosures() {
        return idleClosures.get();
    }

    /** Closes the connection when the next command arrives, without answering it and without applying it. */
    public void dropOnNextCommand() {
        dropOnNextCommand.set(true);
    }

    /** Closes every open connection now; the server keeps listening. */
    public void dropConnections() {
        for (Socket client : clients) {
            closeQuietly(client);
        }
    }

    /** Every command line received, in order, without its line ending (handshakes included). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** How many of the received commands changed (or tried to change) a channel: {@code RT}, {@code RS}, {@code RW}. */
    public int settingCommandCount() {
        return (int) commands.stream().filter(GardasoftSimProtocol::isSettingCommand).count();
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** What a channel holds now, or null if nothing was set since the server started. */
    public GardasoftSimProtocol.@Nullable ChannelState channel(int channel) {
        return protocol.channel(channel);
    }

    /** All channels set so far, by channel number. */
    public Map<Integer, GardasoftSimProtocol.ChannelState> channels() {
        return protocol.channels();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                clients.add(client);
                int n = connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("gardasoft-sim-conn-" + port() + "-" + n).start(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    LOG.atWarn().addKeyValue("port", port()).setCause(e).log("sim accept failed");
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = readWithin(client, in)) >= 0) {
                if (b == '\n') {
                    continue; // CR ends a command; a following LF (CR LF senders) is ignored
                }
                if (b != '\r') {
                    line.append((char) b);
                    continue;
                }
                String command = line.toString();
                line.setLength(0);
                if (!answer(command, out)) {
                    return;
                }
            }
        } catch (SocketException e) {
            LOG.atDebug().addKeyValue("port", port()).log("sim connection closed: {}", e.getMessage());
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("port", port()).setCause(e).log("sim connection failed");
        } finally {
            clients.remove(client);
        }
    }

    /** The next byte; -1 at the end, or when nothing came within the idle timeout (counted before the link closes). */
    private int readWithin(Socket client, InputStream in) throws IOException {
        client.setSoTimeout(idleTimeoutMillis);
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            idleClosures.incrementAndGet();
            LOG.atDebug().addKeyValue("port", port()).log("sim connection idle for {} ms: closing it", idleTimeoutMillis);
            return -1;
        }
    }

    /** Returns false when the connection is to be dropped. */
    private boolean answer(String command, OutputStream out) throws IOException {
        commands.add(command);
        if (dropOnNextCommand.compareAndSet(true, false)) {
            return false;
        }
        int error = injectedError;
        String reply = error != 0 ? GardasoftSimProtocol.errorReply(error) : protocol.execute(command);
        long delay = replyDelayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        String text = (echo ? command + "\r\n" : "") + reply;
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return true;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        dropConnections();
        try {
            acceptor.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("sim close: {}", e.getMessage());
        }
    }
}
