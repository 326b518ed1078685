/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import static io.linesight.lighting.wire.Settings.light;
import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllers;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightHealth;
import io.linesight.lighting.sim.GardasoftSimServer;
import io.linesight.lighting.wire.Waiting;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive of the template drivers ({@code options.poll}, {@code options.pollMs}) against the Gardasoft-style
 * simulator over real loopback TCP, with the simulator's idle timeout shortened to 600 ms.
 */
@DisplayName("an ascii controller's keep-alive should")
class AsciiKeepAliveTest {
    private GardasoftSimServer sim;
    private LightController light;

    @BeforeEach
    void start() throws IOException {
        sim = GardasoftSimServer.start();
        sim.idleTimeout(Duration.ofMillis(600));
    }

    @AfterEach
    void stop() {
        if (light != null) {
            light.close();
        }
        sim.close();
    }

    private LightController open(Map<String, String> extra) throws LightException {
        Map<String, String> options = new HashMap<>(AsciiDriverTest.GARDASOFT_TEMPLATES);
        options.put("pollMs", "200");
        options.putAll(extra);
        return LightControllers.byId("ascii").open(light("ascii", sim.address(), 300, options));
    }

    @Test
    void sendTheConfiguredPoll_andKeepTheLinkOpen() throws Exception {
        light = open(Map.of("poll", "VR"));
        light.apply(1, strobe(1, 65, 150, 30));
        Thread.sleep(1_500);

        assertThat(sim.commands()).first().isEqualTo("RT1,150US,30US,65");
        assertThat(sim.commands().subList(1, sim.commands().size())).hasSizeGreaterThanOrEqualTo(3).containsOnly("VR");
        assertThat(sim.idleClosures()).isZero();
        assertThat(light.health()).isEqualTo(LightHealth.OK);
    }

    @Test
    void checkThePollsReply_aControllerThatStopsAnswering_isInFault() throws Exception {
        light = open(Map.of("poll", "VR"));
        sim.replyDelay(Duration.ofSeconds(30));

        assertThat(Waiting.until(() -> !light.healthy(), Duration.ofSeconds(5))).isTrue();
        assertThat(((LightHealth.Fault) light.health()).reason()).contains("did not answer the keep-alive 'VR' within 300 ms");
    }

    @Test
    void takeAnErrorReplyToThePoll_asAnAnswer() throws Exception {
        light = open(Map.of("poll", "STATUS?"));   // the simulator does not know it: Err 21
        Thread.sleep(800);

        assertThat(sim.commands()).contains("STATUS?");
        assertThat(light.health()).as("it answered, so it is alive").isEqualTo(LightHealth.OK);
    }

    @Test
    void withoutPoll_reconnectALinkTheControllerClosedAsIdle_withoutAFault() throws Exception {
        light = open(Map.of());
        light.apply(1, strobe(1, 65, 150, 30));
        boolean everInFault = false;
        long end = System.nanoTime() + Duration.ofMillis(2_000).toNanos();
        while (System.nanoTime() < end) {
            everInFault |= !light.healthy();
            Thread.sleep(5);
        }
        light.close(); // counts settle

        assertThat(sim.idleClosures()).as("nothing is sent, so the controller closes the idle link").isPositive();
        assertThat(sim.connectionCount()).as("and the keep-alive opens it again").isGreaterThan(1);
        assertThat(everInFault).as("a reconnect that works at once is no fault").isFalse();
        assertThat(sim.settingCommandCount()).as("settings re-sent on every reconnect").isEqualTo(sim.connectionCount());
    }

    @Test
    void emptyPoll_orAPlaceholderInIt_isABadSetting_namingTheOption() {
        LightException empty = catchThrowableOfType(LightException.class, () -> open(Map.of("poll", " ")));
        assertThat(empty.code()).isEqualTo(LightException.Code.BAD_SETTING);
        assertThat(empty).hasMessageContaining("lights[ring].options.poll");

        LightException placeholder = catchThrowableOfType(LightException.class, () -> open(Map.of("poll", "ST{channel}")));
        assertThat(placeholder).hasMessageContaining("lights[ring].options.poll").hasMessageContaining("{channel}");
    }

    @Test
    void pollPeriodOutOfRange_isABadSetting_namingTheOption() {
        LightException e = catchThrowableOfType(LightException.class, () -> open(Map.of("pollMs", "20")));
        assertThat(e.code()).isEqualTo(LightException.Code.BAD_SETTING);
        assertThat(e).hasMessageContaining("lights[ring].options.pollMs").hasMessageContaining("100..60000");
    }
}
