/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.gardasoft;

import static io.linesight.lighting.wire.Settings.continuous;
import static io.linesight.lighting.wire.Settings.off;
import static io.linesight.lighting.wire.Settings.strobe;
import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.lighting.api.LightException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GardasoftProtocolTest {
    private final GardasoftProtocol protocol = new GardasoftProtocol();

    @ParameterizedTest
    @CsvSource({"100, 0.1", "1, 0.001", "20.5, 0.0205", "20.55, 0.0206", "1000000, 1000", "0, 0"})
    void microseconds_goAsMilliseconds(double micros, String millis) {
        assertThat(GardasoftProtocol.millis(micros)).isEqualTo(millis);
    }

    @Test
    void commands_endWithCr_andRoundBrightnessToATenth() throws LightException {
        assertThat(protocol.command(4, strobe(4, 33.333, 100, 0))).isEqualTo("RT4,0.1,0,33.3\r");
        assertThat(protocol.command(1, continuous(1, 100))).isEqualTo("RS1,100\r");
        assertThat(protocol.command(8, off(8))).isEqualTo("RS8,0\r");
    }

    @Test
    void replyLines_dropTheEchoAndBlankLines() {
        assertThat(GardasoftProtocol.replyLines("RS1,5\r", "RS1,5\n\r\r\nErr 21\r\n")).containsExactly("Err 21");
    }
}
