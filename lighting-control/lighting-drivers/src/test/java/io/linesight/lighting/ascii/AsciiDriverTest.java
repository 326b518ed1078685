/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import static io.linesight.lighting.wire.Settings.continuous;
import static io.linesight.lighting.wire.Settings.light;
import static io.linesight.lighting.wire.Settings.off;
import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllers;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightException.Code;
import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import io.linesight.lighting.sim.GardasoftSimServer;
import io.linesight.lighting.wire.ControllerRefusedException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ascii driver, configured with templates that speak the Gardasoft-style protocol, against the simulator over
 * real loopback TCP: the same peer checks the syntax the templates produce.
 */
class AsciiDriverTest {
    /** Templates for a Gardasoft-style controller, written the way a station.yaml would hold them. */
    static final Map<String, String> GARDASOFT_TEMPLATES = Map.of(
            "strobe", "RT{channel},{pulse:%.0f}US,{delay:%.0f}US,{intensity}\\r",
            "continuous", "RS{channel},{intensity:%.1f}",
            "off", "RS{channel},0",
            "ack", ">",
            "error", "Err (?<code>\\d+)",
            "replyEnd", ">");

    private GardasoftSimServer sim;
    private LightController light;

    @BeforeEach
    void start() throws IOException, LightException {
        sim = GardasoftSimServer.start();
        light = open(GARDASOFT_TEMPLATES, 500);
    }

    @AfterEach
    void stop() {
        light.close();
        sim.close();
    }

    private LightController open(Map<String, String> options, int timeoutMs) throws LightException {
        return LightControllers.byId("ascii").open(light("ascii", sim.address(), timeoutMs, options));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> options = new HashMap<>(GARDASOFT_TEMPLATES);
        options.put(key, value);
        return options;
    }

    @Test
    void templates_renderCommandsTheControllerAccepts() throws LightException {
        light.apply(1, strobe(1, 65, 150, 30));
        light.apply(2, continuous(2, 12.25));
        light.apply(3, off(3));
        assertThat(sim.commands()).containsExactly("RT1,150US,30US,65", "RS2,12.3", "RS3,0");
        assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.PULSE, 65, 0.15, 0.03));
        assertThat(sim.channel(2)).isEqualTo(new ChannelState(Mode.CONTINUOUS, 12.3, 0, 0));
        assertThat(light.healthy()).isTrue();
    }

    @Test
    void sameSettingTwice_sendsOneCommand() throws LightException {
        light.apply(1, strobe(1, 65, 150, 30));
        light.apply(1, strobe(1, 65, 150, 30));
        assertThat(sim.settingCommandCount()).isEqualTo(1);
    }

    @Test
    void errorReply_isRefused_withTheCodeTheErrorPatternCaptures() {
        sim.replyWithError(21);
        ControllerRefusedException refused = catchThrowableOfType(ControllerRefusedException.class, () -> light.apply(1, strobe(1, 65, 150, 30)));
        assertThat(refused.controllerCode()).isEqualTo(21);
        assertThat(refused).hasMessageContaining("Err 21").hasMessageContaining("RT1,150US,30US,65");
        assertThat(light.healthy()).as("a controller that answers is healthy; only the setting was wrong").isTrue();
    }

    @Test
    void templateTheControllerCannotParse_isRefused() throws LightException {
        light.close();
        light = open(with("strobe", "RT{channel};{pulse};{delay};{intensity}"), 500);
        ControllerRefusedException refused = catchThrowableOfType(ControllerRefusedException.class, () -> light.apply(1, strobe(1, 65, 150, 30)));
        assertThat(refused.controllerCode()).isEqualTo(21);
    }

    @Test
    void slowReply_timesOut_namingTheAwaitedPattern() throws LightException {
        light.close();
        light = open(GARDASOFT_TEMPLATES, 200);
        sim.replyDelay(Duration.ofSeconds(5));
        long start = System.nanoTime();
        LightException e = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 65, 150, 30)));
        assertThat(e.code()).isEqualTo(Code.TIMEOUT);
        assertThat(e).hasMessageContaining("options.ack />/");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("gave up long before the 5 s reply").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void droppedConnection_failsNotConnected_thenRecovers() throws LightException {
        sim.dropOnNextCommand();
        LightException e = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 65, 150, 30)));
        assertThat(e.code()).isEqualTo(Code.NOT_CONNECTED);
        light.apply(1, strobe(1, 65, 150, 30));
        assertThat(sim.channel(1)).isNotNull();
        assertThat(sim.connectionCount()).isEqualTo(2);
    }

    @Test
    void withoutAck_noReplyIsAwaited() throws LightException {
        light.close();
        Map<String, String> fireAndForget = new HashMap<>(GARDASOFT_TEMPLATES);
        fireAndForget.remove("ack");
        fireAndForget.remove("error");
        light = open(fireAndForget, 200);
        sim.replyDelay(Duration.ofSeconds(5));
        light.apply(2, continuous(2, 40));
        assertThat(light.healthy()).isTrue();
    }

    @Test
    void modeWithoutTemplate_isABadSetting_namingTheOption() throws LightException {
        light.close();
        Map<String, String> strobeOnly = new HashMap<>(GARDASOFT_TEMPLATES);
        strobeOnly.remove("continuous");
        light = open(strobeOnly, 500);
        LightException e = catchThrowableOfType(LightException.class, () -> light.apply(2, continuous(2, 40)));
        assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
        assertThat(e).hasMessageContaining("lights[ring].options.continuous");
        assertThat(sim.commands()).isEmpty();
    }

    @Test
    void unknownPlaceholder_failsAtOpen_namingTheOptionKey() {
        LightException e = catchThrowableOfType(LightException.class, () -> open(with("continuous", "RS{chanel},{intensity}"), 500));
        assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
        assertThat(e).hasMessageContaining("lights[ring].options.continuous").hasMessageContaining("{chanel}").hasMessageContaining("known: ");
    }

    @Test
    void badRegex_failsAtOpen_namingTheOptionKey() {
        LightException e = catchThrowableOfType(LightException.class, () -> open(with("error", "Err (\\d+"), 500));
        assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
        assertThat(e).hasMessageContaining("lights[ring].options.error");
    }

    @Test
    void errorPatternWithoutAck_failsAtOpen() {
        Map<String, String> options = new HashMap<>(GARDASOFT_TEMPLATES);
        options.remove("ack");
        LightException e = catchThrowableOfType(LightException.class, () -> open(options, 500));
        assertThat(e).hasMessageContaining("options.error").hasMessageContaining("options.ack");
    }

    @Test
    void noTemplateAtAll_failsAtOpen() {
        LightException e = catchThrowableOfType(LightException.class, () -> open(Map.of("ack", ">"), 500));
        assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
        assertThat(e).hasMessageContaining("at least one command template");
    }
}
