/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Talks to the simulator over a real loopback socket, the way a driver would. */
class GardasoftSimServerTest {
    private GardasoftSimServer sim;
    private Socket socket;

    @BeforeEach
    void start() throws IOException {
        sim = GardasoftSimServer.start();
        socket = new Socket(InetAddress.getLoopbackAddress(), sim.port());
        socket.setSoTimeout(5_000);
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        sim.close();
    }

    @Test
    void command_isAnsweredWithPrompt_andRemembered() throws IOException {
        assertThat(exchange("RT1,0.1,0,50\r")).isEqualTo(">");
        assertThat(sim.channel(1)).isNotNull();
        assertThat(sim.commands()).containsExactly("RT1,0.1,0,50");
        assertThat(sim.settingCommandCount()).isEqualTo(1);
    }

    @Test
    void crLfLineEndings_areAccepted() throws IOException {
        assertThat(exchange("RS2,10\r\n")).isEqualTo(">");
        assertThat(exchange("VR\r\n")).startsWith(GardasoftSimProtocol.VERSION);
    }

    @Test
    void echo_precedesTheReply() throws IOException {
        sim.echo(true);
        assertThat(exchange("RS1,20\r")).isEqualTo("RS1,20\r\n>");
    }

    @Test
    void injectedError_answersErr_andKeepsTheChannel() throws IOException {
        sim.replyWithError(42);
        assertThat(exchange("RS1,20\r")).isEqualTo("Err 42\r\n>");
        assertThat(sim.channel(1)).isNull();
        sim.replyWithError(0);
        assertThat(exchange("RS1,20\r")).isEqualTo(">");
    }

    @Test
    void dropOnNextCommand_closesWithoutReply() throws IOException {
        sim.dropOnNextCommand();
        socket.getOutputStream().write("RS1,20\r".getBytes(StandardCharsets.US_ASCII));
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
        assertThat(sim.channel(1)).isNull();
    }

    @Test
    void slowReply_arrivesAfterTheDelay() throws IOException {
        sim.replyDelay(Duration.ofMillis(1_000));
        socket.setSoTimeout(100);
        socket.getOutputStream().write("RS1,20\r".getBytes(StandardCharsets.US_ASCII));
        assertThat(readAvailableWithin(socket.getInputStream())).isEmpty();
        socket.setSoTimeout(5_000);
        assertThat(readUntilPrompt(socket.getInputStream())).isEqualTo(">");
    }

    @Test
    void silentConnection_isClosedAfterTheIdleTimeout_asTheControllersDo() throws IOException {
        sim.idleTimeout(Duration.ofMillis(300));
        assertThat(exchange("VR\r")).startsWith(GardasoftSimProtocol.VERSION); // the timeout applies from the next read
        assertThat(socket.getInputStream().read()).as("closed by the simulator").isEqualTo(-1);
        assertThat(sim.idleClosures()).isEqualTo(1);
    }

    @Test
    void defaultIdleTimeout_isTheControllers10Seconds() {
        assertThat(GardasoftSimServer.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void startOn_thePortOfAStoppedServer_bringsUpAFreshController() throws IOException {
        assertThat(exchange("RS1,20\r")).isEqualTo(">");
        int port = sim.port();
        sim.close();
        socket.close();
        sim = GardasoftSimServer.startOn(port, 8);
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        assertThat(sim.channel(1)).as("powered up again: nothing set").isNull();
        assertThat(exchange("RS1,30\r")).isEqualTo(">");
        assertThat(sim.channel(1)).isNotNull();
    }

    private String exchange(String command) throws IOException {
        socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
        return readUntilPrompt(socket.getInputStream());
    }

    private static String readUntilPrompt(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            if (b == '>') {
                break;
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String readAvailableWithin(InputStream in) throws IOException {
        try {
            int b = in.read();
            return b < 0 ? "" : String.valueOf((char) b);
        } catch (java.net.SocketTimeoutException e) {
            return "";
        }
    }
}
