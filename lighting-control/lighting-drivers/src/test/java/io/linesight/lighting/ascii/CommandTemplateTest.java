/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.DriverOptions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandTemplateTest {
    private static final CommandTemplate.Values VALUES = new CommandTemplate.Values(3, 42.5, 150, 20);

    private static CommandTemplate parse(String raw) throws LightException {
        DriverOptions options = DriverOptions.of(new LightConfig("ring", "ascii", "h:1", 500, Map.of("strobe", raw)), Set.of("strobe"));
        return CommandTemplate.parse(options, "strobe", raw, CommandTemplate.ALL_FIELDS, "\r");
    }

    private static String render(String raw) throws LightException {
        return parse(raw).render(VALUES);
    }

    @Test
    void briefExample_rendersWithFormats() throws LightException {
        assertThat(render("SET {channel} {intensity:%.0f} {pulse} {delay}\r")).isEqualTo("SET 3 43 150 20\r");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CH{channel:%02d}={intensity}|CH03=42.5\\r",
            "P{pulseMs},{delayMs}|P0.15,0.02\\r",
            "I{intensity:%d}|I43\\r",
            "{{{channel}}}|{3}\\r",
            "L{channel}\\n|L3\\n",
            "X\\x41{channel}\\r\\n|XA3\\r\\n"})
    void placeholdersFormatsAndEscapes(String template, String expected) throws LightException {
        // CSV leaves \r and \n as two characters; the template's own escapes are what is under test
        assertThat(render(template)).isEqualTo(expected.replace("\\r", "\r").replace("\\n", "\n"));
    }

    @Test
    void fields_listsWhatTheTemplateUses() throws LightException {
        assertThat(parse("S{channel},{intensity}").fields()).containsExactlyInAnyOrder("channel", "intensity");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SET {level}|unknown placeholder {level}",
            "SET {channel|never closed",
            "SET channel}|closes no placeholder",
            "SET {intensity:%q}|is not valid",
            "SET {intensity:.1f}|must be a java.util.Formatter spec",
            "SET \\q|unknown escape",
            "SET \\xZZ|two hex digits"})
    void badTemplate_isRefused_namingTheOption(String template, String reason) {
        LightException e = catchThrowableOfType(LightException.class, () -> parse(template));
        assertThat(e.code()).isEqualTo(LightException.Code.BAD_SETTING);
        assertThat(e).hasMessageStartingWith("lights[ring].options.strobe: ").hasMessageContaining(reason);
    }
}
