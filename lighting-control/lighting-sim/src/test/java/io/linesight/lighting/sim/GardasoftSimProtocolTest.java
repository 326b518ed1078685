/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GardasoftSimProtocolTest {
    private final GardasoftSimProtocol sim = new GardasoftSimProtocol(4);

    @Test
    void pulseCommand_inMilliseconds_setsTheChannel() {
        assertThat(sim.execute("RT2,0.1,0.02,75")).isEqualTo(">");
        assertThat(sim.channel(2)).isEqualTo(new ChannelState(Mode.PULSE, 75, 0.1, 0.02));
    }

    @Test
    void pulseCommand_acceptsMicrosecondSuffixAndRetrigger() {
        assertThat(sim.execute("rt1,250us,10US,40,5")).isEqualTo(">");
        assertThat(sim.channel(1)).isEqualTo(new ChannelState(Mode.PULSE, 40, 0.25, 0.01));
    }

    @Test
    void continuousAndSwitched_setTheMode() {
        assertThat(sim.execute("RS3,60")).isEqualTo(">");
        assertThat(sim.execute("RW4,12.5")).isEqualTo(">");
        assertThat(sim.channel(3)).isEqualTo(new ChannelState(Mode.CONTINUOUS, 60, 0, 0));
        assertThat(sim.channel(4)).isEqualTo(new ChannelState(Mode.SWITCHED, 12.5, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RT1,0.1,0.02", "RT1,abc,0,50", "RS1", "RS1,50US", "RT1,0.1,0,50%", "XX", "RT,0.1,0,50", ""})
    void badSyntax_answersErr21_andChangesNothing(String command) {
        assertThat(sim.execute(command)).isEqualTo("Err 21\r\n>");
        assertThat(sim.channels()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RT5,0.1,0,50", "RT0,0.1,0,50", "RT1,1000,0,50", "RT1,0,0,50", "RS1,101", "RT1,0.1,0,50,1000"})
    void outOfRange_answersErr5_andChangesNothing(String command) {
        assertThat(sim.execute(command)).isEqualTo("Err 5\r\n>");
        assertThat(sim.channels()).isEmpty();
    }

    @Test
    void version_and_status_endWithThePrompt() {
        sim.execute("RT1,0.2,0.01,30");
        assertThat(sim.execute("VR")).startsWith(GardasoftSimProtocol.VERSION).endsWith("\r\n>");
        assertThat(sim.execute("ST")).contains("CH1,MD1,S 30.0").contains("PU0.200ms").contains("CH4,MD0").endsWith(">");
    }
}
