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
import java.util.Set;

/**
 * Provider id {@code camera-strobe}: the camera's line output fires the light, so pulse width and delay are the
 * camera's ({@code LineSource}, exposure); over the wire only brightness is set, with {@code options.brightness}
 * (placeholders {@code {channel}} and {@code {intensity}}). {@code off} uses {@code options.off} when given, else the
 * brightness command at 0 %. The recipe's {@code pulseUs}/{@code delayUs} are ignored, which is logged once.
 */
public final class CameraStrobeProvider implements LightControllerProvider {
    static final Set<String> FIELDS = Set.of("channel", "intensity");
    static final String NOTE = "camera-strobe: the camera's line output times the light; recipe pulseUs/delayUs are ignored, only brightness is set";

    @Override
    public String id() {
        return "camera-strobe";
    }

    @Override
    public LightController open(LightConfig config) throws LightException {
        DriverOptions options = DriverOptions.of(config, TemplateOptions.known("brightness", "off"));
        String eol = TemplateOptions.eol(options);
        CommandTemplate brightness = CommandTemplate.parse(options, "brightness",
                options.require("brightness", "the command that sets a channel's brightness, e.g. \"SB{channel},{intensity}\\r\""), FIELDS, eol);
        String offRaw = options.string("off");
        TemplateProtocol.ModeCommand off = offRaw == null
                ? new TemplateProtocol.ModeCommand(brightness, true)
                : new TemplateProtocol.ModeCommand(CommandTemplate.parse(options, "off", offRaw, FIELDS, eol), false);
        Map<Mode, TemplateProtocol.ModeCommand> commands = new EnumMap<>(Mode.class);
        commands.put(Mode.STROBE, new TemplateProtocol.ModeCommand(brightness, false));
        commands.put(Mode.CONTINUOUS, new TemplateProtocol.ModeCommand(brightness, false));
        commands.put(Mode.OFF, off);
        TemplateOptions.ReplyPatterns replies = TemplateOptions.replyPatterns(options);
        Endpoint endpoint = Endpoint.parse(config, options, AsciiProvider.DEFAULT_BAUD);
        TemplateProtocol protocol = new TemplateProtocol(config.id(), id(), commands, replies.ack(), replies.error(),
                TemplateOptions.replyEnd(options), NOTE, TemplateOptions.keepAlive(options, eol));
        return WireLightController.open(config.id(), endpoint, protocol, LinkTiming.from(config, options));
    }
}
