/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.gardasoft;

import static io.linesight.lighting.wire.Settings.continuous;
import static io.linesight.lighting.wire.Settings.light;
import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllers;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightHealth;
import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import io.linesight.lighting.sim.GardasoftSimServer;
import io.linesight.lighting.wire.Waiting;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive of the gardasoft driver against the simulator over real loopback TCP. The simulator closes a link
 * that stays silent for its idle timeout, as the controllers do; here the timeout and the poll period are shortened
 * (600 ms and 200 ms) so that several idle timeouts pass within a short test.
 */
@DisplayName("a gardasoft controller's keep-alive should")
class GardasoftKeepAliveTest {
    static final int POLL_MS = 200;
    static final int TIMEOUT_MS = 300;

    private GardasoftSimServer sim;
    private LightController light;

    @BeforeEach
    void start() throws IOException, LightException {
        sim = GardasoftSimServer.start();
        sim.idleTimeout(Duration.ofMillis(600));
        light = LightControllers.byId("gardasoft").open(light("gardasoft", sim.address(), TIMEOUT_MS,
                Map.of("pollMs", String.valueOf(POLL_MS), "reconnectMinMs", "50", "reconnectMaxMs", "200")));
    }

    @AfterEach
    void stop() {
        light.close();
        sim.close();
    }

    @Test
    void keepASilentLinkOpen_pastTheControllersIdleTimeout() throws Exception {
        light.apply(1, strobe(1, 50, 100, 0));
        Thread.sleep(2_000); // more than three idle timeouts without a setting

        assertThat(sim.idleClosures()).as("links the controller closed as idle").isZero();
        assertThat(sim.connectionCount()).isEqualTo(1);
        assertThat(sim.commands().subList(2, sim.commands().size())).as("keep-alive queries after the setting")
                .hasSizeGreaterThanOrEqualTo(4).containsOnly("VR");
        assertThat(light.health()).isEqualTo(LightHealth.OK);
        assertThat(sim.settingCommandCount()).as("the keep-alive changes nothing").isEqualTo(1);
    }

    @Test
    void noticeADeadController_withinAPollPeriod_withoutAnyApply() throws Exception {
        light.apply(1, strobe(1, 50, 100, 0));
        long died = System.nanoTime();
        sim.close(); // power off: the link is closed and nothing listens any more

        assertThat(Waiting.until(() -> !light.healthy(), Duration.ofSeconds(5))).as("fault seen").isTrue();
        Duration noticed = Duration.ofNanos(System.nanoTime() - died);
        assertThat(noticed).as("noticed within one poll period and one exchange timeout")
                .isLessThan(Duration.ofMillis(POLL_MS + TIMEOUT_MS));
        LightHealth.Fault fault = (LightHealth.Fault) light.health();
        assertThat(fault.reason()).contains("'ring'").contains(sim.address()).contains("cannot connect");
    }

    @Test
    void noticeAControllerThatStopsAnswering_withTheLinkStillOpen() throws Exception {
        light.apply(1, strobe(1, 50, 100, 0));
        sim.replyDelay(Duration.ofSeconds(30)); // hung: the socket is open, nothing answers

        assertThat(Waiting.until(() -> !light.healthy(), Duration.ofSeconds(5))).as("fault seen").isTrue();
        assertThat(((LightHealth.Fault) light.health()).reason()).contains("'ring'")
                .contains("did not answer the keep-alive 'VR' within " + TIMEOUT_MS + " ms");
    }

    @Test
    void faultSince_staysTheTimeTheFaultBegan_whileReconnectsKeepFailing() throws Exception {
        sim.close();
        assertThat(Waiting.until(() -> !light.healthy(), Duration.ofSeconds(5))).isTrue();
        LightHealth.Fault first = (LightHealth.Fault) light.health();
        Thread.sleep(600); // several failed reconnects (backoff 50..200 ms)

        LightHealth.Fault later = (LightHealth.Fault) light.health();
        assertThat(later.since()).isEqualTo(first.since());
        LightException meanwhile = catchThrowableOfType(LightException.class, () -> light.apply(1, strobe(1, 50, 100, 0)));
        assertThat(meanwhile.code()).isEqualTo(LightException.Code.NOT_CONNECTED);
    }

    @Test
    void reconnectToARestartedController_andSendItEverySettingAgain_beforeAnyApply() throws Exception {
        light.apply(1, strobe(1, 80, 120, 10));
        light.apply(2, continuous(2, 37.5));
        int port = sim.port();
        sim.close();
        assertThat(Waiting.until(() -> !light.healthy(), Duration.ofSeconds(5))).as("fault seen").isTrue();

        sim = GardasoftSimServer.startOn(port, 8); // powered up again: it holds nothing
        assertThat(Waiting.until(light::healthy, Duration.ofSeconds(5))).as("back").isTrue();

        assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.PULSE, 80, 0.12, 0.01));
        assertThat(sim.channel(2)).isEqualTo(new ChannelState(Mode.CONTINUOUS, 37.5, 0, 0));
        assertThat(sim.commands()).startsWith("VR", "RT1,0.12,0.01,80", "RS2,37.5");
        light.apply(1, strobe(1, 80, 120, 10));
        assertThat(sim.settingCommandCount()).as("the restored setting is not sent twice").isEqualTo(2);
    }

    @Test
    void reportAClosedController_asAFault() {
        light.close();
        assertThat(light.health()).isInstanceOfSatisfying(LightHealth.Fault.class,
                f -> assertThat(f.reason()).isEqualTo("light controller 'ring' is closed"));
    }
}
