/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;

/**
 * A serial port through jSerialComm. Reads are semi-blocking with the caller's timeout, so a silent controller never
 * holds the apply thread past its deadline.
 */
public final class SerialTransport implements Transport {
    private final SerialPort port;
    private final String description;
    private final int writeTimeoutMs;
    private volatile boolean closed;

    private SerialTransport(SerialPort port, String description, int writeTimeoutMs) {
        this.port = port;
        this.description = description;
        this.writeTimeoutMs = writeTimeoutMs;
    }

    /**
     * Opens the port with the endpoint's line settings; throws naming the port if it is missing or busy.
     *
     * @param writeTimeoutMs how long a write may block (a device that stops reading, with hardware flow control)
     */
    public static SerialTransport open(Endpoint.Serial endpoint, int writeTimeoutMs) throws IOException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(endpoint.port());
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("serial port " + endpoint.port() + " does not exist", e);
        }
        port.setComPortParameters(endpoint.baud(), endpoint.dataBits(), stopBits(endpoint.stopBits()), parity(endpoint.parity()));
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (!port.openPort()) {
            throw new IOException("cannot open serial port " + endpoint.port() + " (missing, busy, or no permission; error "
                    + port.getLastErrorCode() + ")");
        }
        int writeTimeout = Math.max(100, writeTimeoutMs);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, writeTimeout, writeTimeout);
        return new SerialTransport(port, "serial " + endpoint.port() + " " + endpoint.baud() + " baud", writeTimeout);
    }

    @Override
    public void write(byte[] data) throws IOException {
        int written = port.writeBytes(data, data.length);
        if (written != data.length) {
            throw new IOException(description + ": wrote " + written + " of " + data.length + " bytes within " + writeTimeoutMs + " ms");
        }
    }

    @Override
    public int read(byte[] into, int timeoutMs) throws IOException {
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, Math.max(1, timeoutMs), writeTimeoutMs);
        int n = port.readBytes(into, into.length);
        if (n < 0) {
            if (closed) {
                return -1;
            }
            throw new IOException(description + ": read failed (error " + port.getLastErrorCode() + "); was the adapter unplugged?");
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        int n = port.bytesAvailable();
        if (n < 0) {
            throw new IOException(description + " is no longer available");
        }
        return n;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
        port.closePort();
    }

    private static int stopBits(int bits) {
        return bits == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
    }

    private static int parity(Endpoint.Parity parity) {
        return switch (parity) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
        };
    }
}
