/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import io.linesight.config.recipe.LightSetting.Mode;
import io.linesight.config.station.LightConfig;
import io.linesight.lighting.api.LightController;
import io.linesight.lighting.api.LightControllerProvider;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.DriverOptions;
import io.linesight.lighting.wire.Endpoint;
import io.linesight.lighting.wire.LinkTiming;
import io.linesight.lighting.wire.WireLightController;
import java.util.EnumMap;
import java.util.Map;

/**
 * Provider id {@code ascii}: any controller that takes a few text commands. The commands are templates in
 * {@code options.strobe}, {@code options.continuous}, {@code options.off} (at least one); replies are checked with
 * {@code options.ack} and {@code options.error}. See {@link CommandTemplate} and {@link TemplateProtocol}.
 */
public final class AsciiProvider implements LightControllerProvider {
    static final int DEFAULT_BAUD = 9_600;

    @Override
    public String id() {
        return "ascii";
    }

    @Override
    public LightController open(LightConfig config) throws LightException {
        DriverOptions options = DriverOptions.of(config, TemplateOptions.known("strobe", "continuous", "off"));
        String eol = TemplateOptions.eol(options);
        Map<Mode, TemplateProtocol.ModeCommand> commands = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            String key = mode.name().toLowerCase(java.util.Locale.ROOT);
            String raw = options.string(key);
            if (raw != null) {
                commands.put(mode, new TemplateProtocol.ModeCommand(CommandTemplate.parse(options, key, raw, CommandTemplate.ALL_FIELDS, eol), false));
            }
        }
        if (commands.isEmpty()) {
            throw options.bad("strobe", "driver 'ascii' needs at least one command template: options.strobe, options.continuous or options.off");
        }
        TemplateOptions.ReplyPatterns replies = TemplateOptions.replyPatterns(options);
        Endpoint endpoint = Endpoint.parse(config, options, DEFAULT_BAUD);
        TemplateProtocol protocol = new TemplateProtocol(config.id(), id(), commands, replies.ack(), replies.error(),
                TemplateOptions.replyEnd(options), null, TemplateOptions.keepAlive(options, eol));
        return WireLightController.open(config.id(), endpoint, protocol, LinkTiming.from(config, options));
    }
}
