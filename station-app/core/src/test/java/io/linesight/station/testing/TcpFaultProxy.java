/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between the station and its broker that can misbehave on command: {@link #stall()} stops forwarding in
 * both directions but keeps the sockets open (a half-dead link: no FIN, no RST — only MQTT keep-alive can notice);
 * {@link #drop()} closes every connection at once; {@link #heal()} forwards again.
 */
public final class TcpFaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean stalled;
    private volatile boolean closed;

    public TcpFaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    public String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                while (stalled && !closed && !from.isClosed()) {
                    Thread.sleep(10); // hold the bytes: the peer sees silence, not a closed connection
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection ended
        } finally {
            close(from);
            close(to);
        }
    }

    public void stall() {
        stalled = true;
    }

    public void heal() {
        stalled = false;
    }

    /** Closes every proxied connection (the broker "vanished"); new connections are still accepted. */
    public void drop() {
        for (Socket s : sockets) {
            close(s);
        }
        sockets.clear();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        drop();
        server.close();
    }
}
