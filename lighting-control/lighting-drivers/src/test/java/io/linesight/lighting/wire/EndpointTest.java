/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    private static Endpoint parse(@Nullable String address, Map<String, String> options) throws LightException {
        LightConfig config = new LightConfig("ring", "gardasoft", address, 500, new HashMap<>(options));
        return Endpoint.parse(config, DriverOptions.of(config, Endpoint.SERIAL_OPTIONS), 115_200);
    }

    @Test
    void hostPort_isTcp() throws LightException {
        assertThat(parse("10.0.0.5:30313", Map.of())).isEqualTo(new Endpoint.Tcp("10.0.0.5", 30313));
        assertThat(parse("lights-1.plant.local:2000", Map.of())).isEqualTo(new Endpoint.Tcp("lights-1.plant.local", 2000));
        assertThat(parse("[fe80::1]:2000", Map.of())).isEqualTo(new Endpoint.Tcp("fe80::1", 2000));
    }

    @Test
    void serialForms_withLineOptions() throws LightException {
        assertThat(parse("serial:/dev/ttyUSB0", Map.of("baud", "9600", "parity", "even")))
                .isEqualTo(new Endpoint.Serial("/dev/ttyUSB0", 9600, 8, 1, Endpoint.Parity.EVEN));
        assertThat(parse("/dev/ttyS1", Map.of())).isEqualTo(new Endpoint.Serial("/dev/ttyS1", 115_200, 8, 1, Endpoint.Parity.NONE));
        assertThat(parse("COM3", Map.of("stopBits", "2"))).isEqualTo(new Endpoint.Serial("COM3", 115_200, 8, 2, Endpoint.Parity.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "10.0.0.5:0", "10.0.0.5:70000", "a b:12", "serial:", "  "})
    void badAddress_isABadSetting_namingTheField(String address) {
        LightException e = catchThrowableOfType(LightException.class, () -> parse(address, Map.of()));
        assertThat(e.code()).isEqualTo(LightException.Code.BAD_SETTING);
        assertThat(e).hasMessageStartingWith("lights[ring].address");
    }

    @Test
    void missingAddress_saysWhatIsExpected() {
        LightException e = catchThrowableOfType(LightException.class, () -> parse(null, Map.of()));
        assertThat(e).hasMessageContaining("required").hasMessageContaining("host:port");
    }

    @Test
    void badSerialOption_namesTheKey() {
        LightException baud = catchThrowableOfType(LightException.class, () -> parse("COM3", Map.of("baud", "fast")));
        LightException parity = catchThrowableOfType(LightException.class, () -> parse("COM3", Map.of("parity", "mark")));
        assertThat(baud).hasMessageContaining("lights[ring].options.baud: 'fast' is not a whole number");
        assertThat(parity).hasMessageContaining("lights[ring].options.parity");
    }
}
