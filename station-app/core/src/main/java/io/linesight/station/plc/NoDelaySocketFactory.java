/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Wraps a socket factory so every socket has TCP_NODELAY. Paho leaves Nagle on, which costs about 40 ms per QoS 1
 * round trip (the PUBACK waits for the delayed ACK): far too much for a reject gate.
 */
public final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate;

    public NoDelaySocketFactory(SocketFactory delegate) {
        this.delegate = delegate;
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }
}
