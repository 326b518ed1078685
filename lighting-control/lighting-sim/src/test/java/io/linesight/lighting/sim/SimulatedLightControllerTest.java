/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.api.LightHealth;
import org.junit.jupiter.api.Test;

/** The in-process controller's settable fault, which the station's light-fault path is tested with. */
class SimulatedLightControllerTest {
    private static final LightSetting SETTING = new LightSetting("ring", 1, 50, 100, 0, LightSetting.Mode.STROBE);

    private final SimulatedLightController light = new SimulatedLightController("ring");

    @Test
    void failing_isAFault_thatKeepsItsStart_andFailsEveryApplyWithItsReason() throws Exception {
        light.setFailing(true);
        LightHealth.Fault fault = (LightHealth.Fault) light.health();
        Thread.sleep(5);
        light.setFailing(true);

        assertThat(light.health()).isEqualTo(fault);
        assertThat(fault.reason()).isEqualTo("light controller 'ring' does not answer (simulated fault)");
        LightException e = catchThrowableOfType(LightException.class, () -> light.apply(1, SETTING));
        assertThat(e.code()).isEqualTo(LightException.Code.NOT_CONNECTED);
        assertThat(e).hasMessage(fault.reason());
        assertThat(light.channel(1)).isNull();
    }

    @Test
    void clearedFault_isOk_andApplyWorksAgain() throws LightException {
        light.setFailing(true);
        light.setFailing(false);

        assertThat(light.health()).isEqualTo(LightHealth.OK);
        light.apply(1, SETTING);
        assertThat(light.channel(1)).isEqualTo(SETTING);
    }

    @Test
    void closed_isAFault() {
        light.close();
        assertThat(light.healthy()).isFalse();
    }
}
