/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightException;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a controller is, from {@code lights[].address}: {@code host:port} (or {@code [v6]:port}) for Ethernet,
 * {@code serial:/dev/ttyUSB0}, a bare {@code /dev/...} path or {@code COM3} for a serial port.
 */
public sealed interface Endpoint extends Connector {

    /** The option keys that configure a serial line. */
    Set<String> SERIAL_OPTIONS = Set.of("baud", "dataBits", "stopBits", "parity");

    Pattern HOST_PORT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9._-]+)):(\\d{1,5})");
    Pattern COM_PORT = Pattern.compile("(?i)COM\\d{1,3}");

    enum Parity { NONE, EVEN, ODD }

    record Tcp(String host, int port) implements Endpoint {
        @Override
        public Transport connect(int timeoutMs) throws IOException {
            return TcpTransport.connect(host, port, timeoutMs);
        }

        @Override
        public String describe() {
            return "tcp " + host + ":" + port;
        }
    }

    record Serial(String port, int baud, int dataBits, int stopBits, Parity parity) implements Endpoint {
        @Override
        public Transport connect(int timeoutMs) throws IOException {
            return SerialTransport.open(this, timeoutMs);
        }

        @Override
        public String describe() {
            return "serial " + port;
        }
    }

    /** Parses the address and, for serial ports, the line options; every error names the config field. */
    static Endpoint parse(LightConfig config, DriverOptions options, int defaultBaud) throws LightException {
        String address = config.address() == null ? "" : config.address().strip();
        String where = "lights[" + config.id() + "].address";
        if (address.isEmpty()) {
            throw new LightException(LightException.Code.BAD_SETTING, where + ": required for driver '" + config.driver()
                    + "' (host:port, or a serial port such as serial:/dev/ttyUSB0 or COM3)");
        }
        String serialPort = serialPort(address);
        if (serialPort != null) {
            if (serialPort.isEmpty()) {
                throw new LightException(LightException.Code.BAD_SETTING, where + ": '" + address + "' names no serial port");
            }
            return new Serial(serialPort,
                    options.integer("baud", defaultBaud, 50, 4_000_000),
                    options.integer("dataBits", 8, 5, 8),
                    options.integer("stopBits", 1, 1, 2),
                    parity(options));
        }
        for (String key : SERIAL_OPTIONS) {
            if (options.has(key)) {
                throw options.bad(key, "applies to serial ports only, but " + where + " '" + address + "' is a TCP address");
            }
        }
        Matcher m = HOST_PORT.matcher(address);
        if (!m.matches()) {
            throw new LightException(LightException.Code.BAD_SETTING, where + ": '" + address
                    + "' is neither host:port nor a serial port (serial:/dev/ttyUSB0, /dev/ttyS0, COM3)");
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > 65_535) {
            throw new LightException(LightException.Code.BAD_SETTING, where + ": port " + port + " must be 1..65535");
        }
        return new Tcp(host, port);
    }

    private static @Nullable String serialPort(String address) {
        if (address.regionMatches(true, 0, "serial:", 0, 7)) {
            return address.substring(7).strip();
        }
        if (address.startsWith("/dev/") || COM_PORT.matcher(address).matches()) {
            return address;
        }
        return null;
    }

    private static Parity parity(DriverOptions options) throws LightException {
        String value = options.string("parity");
        if (value == null) {
            return Parity.NONE;
        }
        try {
            return Parity.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw options.bad("parity", "'" + value + "' must be none, even or odd");
        }
    }
}
