/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import static io.linesight.lighting.wire.Settings.light;
import static io.linesight.lighting.wire.Settings.off;
import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllers;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightException.Code;
import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import io.linesight.lighting.sim.GardasoftSimServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** camera-strobe: only brightness goes over the wire (here as continuous level on the simulator), over real TCP. */
class CameraStrobeDriverTest {
    static final Map<String, String> OPTIONS = Map.of(
            "brightness", "RS{channel},{intensity}",
            "ack", ">",
            "error", "Err (?<code>\\d+)",
            "replyEnd", ">");

    private GardasoftSimServer sim;
    private LightController light;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger protocolLog = (Logger) LoggerFactory.getLogger(TemplateProtocol.class);

    @BeforeEach
    void start() throws IOException, LightException {
        logged.start();
        protocolLog.addAppender(logged);
        sim = GardasoftSimServer.start();
        light = LightControllers.byId("camera-strobe").open(light("camera-strobe", sim.address(), 500, OPTIONS));
    }

    @AfterEach
    void stop() {
        protocolLog.detachAppender(logged);
        light.close();
        sim.close();
    }

    @Test
    void strobe_setsOnlyBrightness() throws LightException {
        light.apply(1, strobe(1, 55, 150, 30));
        assertThat(sim.commands()).containsExactly("RS1,55");
        assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.CONTINUOUS, 55, 0, 0));
    }

    @Test
    void changedPulseOrDelay_sendsNothing_andIsNotedOnce() throws LightException {
        light.apply(1, strobe(1, 55, 150, 30));
        light.apply(1, strobe(1, 55, 900, 0));
        light.apply(2, strobe(2, 55, 900, 0));
        assertThat(sim.settingCommandCount()).isEqualTo(2);
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains("pulseUs/delayUs are ignored")).hasSize(1);
    }

    @Test
    void off_withoutOffTemplate_setsBrightnessZero() throws LightException {
        light.apply(1, strobe(1, 55, 150, 30));
        light.apply(1, off(1));
        assertThat(sim.commands()).containsExactly("RS1,55", "RS1,0");
    }

    @Test
    void pulsePlaceholder_failsAtOpen_sayingTheDriverDoesNotUseIt() {
        LightException e = catchThrowableOfType(LightException.class, () -> LightControllers.byId("camera-strobe")
                .open(light("camera-strobe", sim.address(), 500, Map.of("brightness", "RT{channel},{pulse},0,{intensity}"))));
        assertThat(e.code()).isEqualTo(Code.BAD_SETTING);
        assertThat(e).hasMessageContaining("lights[ring].options.brightness").hasMessageContaining("{pulse}")
                .hasMessageContaining("does not use it");
    }

    @Test
    void missingBrightnessTemplate_failsAtOpen() {
        LightException e = catchThrowableOfType(LightException.class, () -> LightControllers.byId("camera-strobe")
                .open(light("camera-strobe", sim.address(), 500, Map.of("ack", ">"))));
        assertThat(e).hasMessageContaining("lights[ring].options.brightness: required");
    }
}
