/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A TCP connection to a controller's command port, Nagle off so short commands leave at once. */
public final class TcpTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String description;

    private TcpTransport(Socket socket, String description) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.description = description;
    }

    /** Connects within {@code timeoutMs}; throws on refusal, unreachable host or timeout. */
    public static TcpTransport connect(String host, int port, int timeoutMs) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), Math.max(1, timeoutMs));
            return new TcpTransport(socket, "tcp " + host + ":" + port);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    @Override
    public int read(byte[] into, int timeoutMs) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMs));
        try {
            return in.read(into);
        } catch (SocketTimeoutException e) {
            return 0;
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed already: nothing left to release
        }
    }
}
