/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Pattern;
import io.linesight.config.bind.Range;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One lighting controller.
 *
 * @param id        the name recipes use ({@code ring}, {@code backlight})
 * @param driver    the {@code LightControllerProvider} id: {@code simulated}, {@code gardasoft}, {@code ascii}, {@code camera-strobe}
 * @param address   {@code host:port} for Ethernet controllers, a serial port name for serial ones
 * @param timeoutMs how long to wait for a controller's acknowledgement
 * @param options   driver-specific settings (command templates for {@code ascii}, baud rate for serial)
 */
public record LightConfig(
        @Pattern(value = "[A-Za-z0-9_-]{1,32}", hint = "letters, digits, '-' or '_'") String id,
        @Pattern(value = "[a-z0-9-]{1,32}", hint = "a driver id such as simulated, gardasoft, ascii") String driver,
        @Nullable String address,
        @Default("500") @Range(min = 1, max = 60_000) int timeoutMs,
        Map<String, String> options) {
}
