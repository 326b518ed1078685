/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.gardasoft;

import static io.linesight.lighting.wire.Settings.continuous;
import static io.linesight.lighting.wire.Settings.light;
import static io.linesight.lighting.wire.Settings.off;
import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllers;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightException.Code;
import io.linesight.lighting.sim.GardasoftSimProtocol;
import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import io.linesight.lighting.sim.GardasoftSimServer;
import io.linesight.lighting.wire.ControllerRefusedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The gardasoft driver against the Gardasoft-style simulator over real loopback TCP. */
class GardasoftDriverTest {
    private GardasoftSimServer sim;
    private LightController light;

    @BeforeEach
    void start() throws IOException, LightException {
        sim = GardasoftSimServer.start();
        light = open(500);
    }

    @AfterEach
    void stop() {
        light.close();
        sim.close();
    }

    private LightController open(int timeoutMs) throws LightException {
        return LightControllers.byId("gardasoft").open(light("gardasoft", sim.address(), timeoutMs, Map.of()));
    }

    @Nested
    @DisplayName("happy path")
    class HappyPath {
        @Test
        void open_greetsWithVersionRequest_andIsHealthy() {
            assertThat(sim.commands()).containsExactly("VR");
            assertThat(light.healthy()).isTrue();
            assertThat(light.id()).isEqualTo("ring");
        }

        @Test
        void strobe_setsPulseMode_withTimesInMilliseconds() throws LightException {
            light.apply(2, strobe(2, 75, 100, 20));
            assertThat(sim.commands()).containsExactly("VR", "RT2,0.1,0.02,75");
            assertThat(sim.channel(2)).isEqualTo(new ChannelState(Mode.PULSE, 75, 0.1, 0.02));
        }

        @Test
        void continuous_thenOff_useRs() throws LightException {
            light.apply(1, continuous(1, 37.5));
            assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.CONTINUOUS, 37.5, 0, 0));
            light.apply(1, off(1));
            assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.CONTINUOUS, 0, 0, 0));
            assertThat(sim.commands()).endsWith("RS1,37.5", "RS1,0");
        }

        @Test
        void echoingController_isUnderstood() throws LightException {
            sim.echo(true);
            light.apply(3, strobe(3, 50, 250, 0));
            assertThat(sim.channel(3)).isEqualTo(new ChannelState(Mode.PULSE, 50, 0.25, 0));
            assertThat(light.healthy()).isTrue();
        }
    }

    @Nested
    @DisplayName("skip if unchanged")
    class SkipIfUnchanged {
        @Test
        void sameSettingTwice_sendsOneCommand() throws LightException {
            light.apply(1, strobe(1, 80, 120, 10));
            light.apply(1, strobe(1, 80, 120, 10));
            assertThat(sim.settingCommandCount()).isEqualTo(1);
        }

        @Test
        void changedSettingOrOtherChannel_isSent() throws LightException {
            light.apply(1, strobe(1, 80, 120, 10));
            light.apply(1, strobe(1, 80, 130, 10));
            light.apply(2, strobe(2, 80, 130, 10));
            light.apply(1, strobe(1, 80, 130, 10));
            assertThat(sim.settingCommandCount()).isEqualTo(3);
        }

        @Test
        void afterReconnect_settingIsSentAgain() throws LightException {
            light.apply(1, strobe(1, 80, 120, 10));
            sim.dropConnections();
            catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 60, 120, 10)));
            light.apply(1, strobe(1, 80, 120, 10));
            assertThat(sim.commands()).filteredOn(c -> c.equals("RT1,0.12,0.01,80")).hasSize(2);
        }
    }

    @Nested
    @DisplayName("controller faults")
    class Faults {
        @Test
        void errorReply_isRefused_withTheControllersCode() {
            sim.replyWithError(GardasoftSimProtocol.ERR_BAD_FORMAT);
            ControllerRefusedException refused = catchThrowableOfType(ControllerRefusedException.class, () -> light.apply(1, strobe(1, 50, 100, 0)));
            assertThat(refused.code()).isEqualTo(Code.REFUSED);
            assertThat(refused.controllerCode()).isEqualTo(21);
            assertThat(refused.controllerText()).isEqualTo("bad command format");
            assertThat(refused).hasMessageContaining("'ring'").hasMessageContaining("RT1,0.1,0,50").hasMessageContaining("Err 21");
            assertThat(light.healthy()).as("a controller that answers is healthy; only the setting was wrong").isTrue();
        }

        @Test
        void refusedSetting_isSentAgainOnceTheControllerRecovers() throws LightException {
            sim.replyWithError(GardasoftSimProtocol.ERR_BAD_FORMAT);
            catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 50, 100, 0)));
            sim.replyWithError(0);
            light.apply(1, strobe(1, 50, 100, 0));
            assertThat(sim.channel(1)).isNotNull();
            assertThat(light.healthy()).isTrue();
            assertThat(sim.connectionCount()).as("a refusal keeps the connection").isEqualTo(1);
        }

        @Test
        void channelTheControllerDoesNotHave_isRefusedAsOutOfRange() {
            ControllerRefusedException refused = catchThrowableOfType(ControllerRefusedException.class, () -> light.apply(9, strobe(9, 50, 100, 0)));
            assertThat(refused.controllerCode()).isEqualTo(GardasoftSimProtocol.ERR_OUT_OF_RANGE);
            assertThat(refused).hasMessageContaining("out of range");
        }

        @Test
        void slowReply_timesOut_beforeTheReplyCould_andRecoversAfterwards() throws LightException {
            LightController quick = open(200);
            sim.replyDelay(Duration.ofSeconds(5));
            long start = System.nanoTime();
            LightException timeout = catchThrowableOfType(LightException.class, () -> quick.apply(1, strobe(1, 50, 100, 0)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(timeout.code()).isEqualTo(Code.TIMEOUT);
            assertThat(timeout).hasMessageContaining("within 200 ms").hasMessageContaining("RT1,0.1,0,50");
            assertThat(took).as("gave up long before the 5 s reply").isLessThan(Duration.ofSeconds(3));
            assertThat(quick.healthy()).isFalse();

            sim.replyDelay(Duration.ZERO);
            quick.apply(1, strobe(1, 60, 100, 0));
            assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.PULSE, 60, 0.1, 0));
            assertThat(quick.healthy()).isTrue();
            quick.close();
        }

        @Test
        void droppedConnection_failsNotConnected_thenRecoversOnTheNextApply() throws LightException {
            light.apply(1, strobe(1, 50, 100, 0));
            sim.dropOnNextCommand();
            LightException dropped = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 70, 100, 0)));
            assertThat(dropped.code()).isEqualTo(Code.NOT_CONNECTED);
            assertThat(dropped).hasMessageContaining("connection lost").hasMessageContaining("reconnect");
            assertThat(light.healthy()).isFalse();

            light.apply(1, strobe(1, 70, 100, 0));
            assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.PULSE, 70, 0.1, 0));
            assertThat(sim.connectionCount()).isEqualTo(2);
            assertThat(light.healthy()).isTrue();
        }

        @Test
        void controllerGone_failsAtOnce_whileTheBackoffRuns() throws LightException {
            light.close();
            light = LightControllers.byId("gardasoft").open(light("gardasoft", sim.address(), 500, Map.of("reconnectMinMs", "60000")));
            light.apply(1, strobe(1, 50, 100, 0));
            sim.close();
            LightException first = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 60, 100, 0)));
            LightException second = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 60, 100, 0)));
            LightException third = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 60, 100, 0)));
            assertThat(first.code()).isEqualTo(Code.NOT_CONNECTED);
            assertThat(second.code()).isEqualTo(Code.NOT_CONNECTED);
            assertThat(third.code()).isEqualTo(Code.NOT_CONNECTED);
            assertThat(second).hasMessageContaining("cannot connect");
            assertThat(third).hasMessageContaining("next reconnect attempt in");
        }

        @Test
        void close_unblocksAnApplyWaitingForAReply() throws Exception {
            LightController patient = open(30_000);
            sim.replyDelay(Duration.ofSeconds(20));
            CompletableFuture<Void> pending = CompletableFuture.runAsync(() -> {
                try {
                    patient.apply(1, strobe(1, 50, 100, 0));
                } catch (LightException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (sim.settingCommandCount() == 0) {
                Thread.sleep(5);
            }
            patient.close();
            assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().cause().isInstanceOf(LightException.class).hasMessageContaining("closed");
            assertThat(patient.healthy()).isFalse();
        }
    }

    @Nested
    @DisplayName("opening")
    class Opening {
        @Test
        void nothingListening_failsNotConnected_namingTheAddress() throws IOException {
            int freePort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                freePort = probe.getLocalPort();
            }
            String address = "127.0.0.1:" + freePort;
            LightException e = catchThrowableOfType(LightException.class,
                    () -> LightControllers.byId("gardasoft").open(light("gardasoft", address, 500, Map.of())));
            assertThat(e.code()).isEqualTo(Code.NOT_CONNECTED);
            assertThat(e).hasMessageContaining(address).hasMessageContaining("'ring'");
        }

        @Test
        void unknownOption_isABadSetting_namingTheKey() {
            LightException e = catchThrowableOfType(LightException.class,
                    () -> LightControllers.byId("gardasoft").open(light("gardasoft", sim.address(), 500, Map.of("baudrate", "9600"))));
            assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
            assertThat(e).hasMessageContaining("lights[ring].options.baudrate").hasMessageContaining("known: baud");
        }

        @Test
        void serialOptionOnTcpAddress_isABadSetting() {
            LightException e = catchThrowableOfType(LightException.class,
                    () -> LightControllers.byId("gardasoft").open(light("gardasoft", sim.address(), 500, Map.of("baud", "9600"))));
            assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
            assertThat(e).hasMessageContaining("options.baud").hasMessageContaining("serial ports only");
        }

        @Test
        void missingSerialPort_failsNotConnected_namingThePort() {
            // the real jSerialComm library, asked for a port that does not exist on this machine
            LightException e = catchThrowableOfType(LightException.class,
                    () -> LightControllers.byId("gardasoft").open(light("gardasoft", "serial:/dev/ttyLINESIGHT-NONE", 300, Map.of())));
            assertThat(e.code()).isEqualTo(Code.NOT_CONNECTED);
            assertThat(e).hasMessageContaining("/dev/ttyLINESIGHT-NONE");
        }
    }
}
