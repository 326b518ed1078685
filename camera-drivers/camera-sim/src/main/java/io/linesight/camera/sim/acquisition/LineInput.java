/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.acquisition;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware trigger input of a simulated camera: each UDP datagram on a loopback port is one edge on the camera's
 * line, as a PLC or photo-eye would fire it. A datagram may carry, as UTF-8 text {@code [partId][@epochMicros]}, the
 * id of the part physically under the camera (the simulator renders that part; a real camera cannot know it, the
 * station is told the id separately, by the PLC) and the wall-clock time of the edge (a real camera stamps the edge
 * in hardware; a datagram can be late, so the sender says when it fired). Lets a test or a commissioning run fire the
 * line from another process.
 *
 * <p>One thread ({@code camera-<id>-line}) receives; {@code onEdge} runs on it with the edge's time on the host's
 * {@link System#nanoTime()} clock and must not block.
 */
final class LineInput implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LineInput.class);

    private final DatagramSocket socket;
    private final Thread thread;

    /**
     * @param onEdge called per edge with its time and the part id it carried (null for a bare edge)
     */
    LineInput(String cameraId, int port, BiConsumer<Long, @Nullable String> onEdge) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.thread = Thread.ofPlatform().name("camera-" + cameraId + "-line").daemon(true).unstarted(() -> {
            byte[] buf = new byte[256];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (!socket.isClosed()) {
                try {
                    socket.receive(p);
                    long at = System.nanoTime();
                    String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8).strip();
                    int t = text.lastIndexOf('@');
                    if (t >= 0) {
                        at = edgeNanos(text.substring(t + 1), at);
                        text = text.substring(0, t);
                    }
                    onEdge.accept(at, text.isEmpty() ? null : text);
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        LOG.atWarn().addKeyValue("camera", cameraId).addKeyValue("error", e.toString()).log("line input");
                    }
                }
            }
        });
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** The edge's wall-clock time in epoch microseconds, on the nanoTime clock; {@code fallback} if unreadable. */
    private static long edgeNanos(String epochMicros, long fallback) {
        try {
            long now = System.nanoTime();
            java.time.Instant wall = java.time.Instant.now();
            long wallMicros = wall.getEpochSecond() * 1_000_000L + wall.getNano() / 1000;
            return now - (wallMicros - Long.parseLong(epochMicros)) * 1000;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The port edges are received on (useful when opened on port 0). */
    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
