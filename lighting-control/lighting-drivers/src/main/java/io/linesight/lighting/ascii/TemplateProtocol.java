/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import io.linesight.config.recipe.LightSetting;
import io.linesight.config.recipe.LightSetting.Mode;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.RefusedReply;
import io.linesight.lighting.wire.ReplyReader;
import io.linesight.lighting.wire.WireProtocol;
import io.linesight.lighting.wire.WireText;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A protocol made of {@link CommandTemplate}s from the station config, one per mode, with an acknowledgement pattern
 * and an error pattern for the replies.
 *
 * <p>Replies are read up to each line end (CR or LF) or {@code replyEnd} character; at each of those points the text
 * received so far, less the echo of the command, is searched for the error pattern first, then for the
 * acknowledgement pattern. Without an acknowledgement pattern no reply is awaited.
 */
public final class TemplateProtocol implements WireProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateProtocol.class);

    /** The template for one mode; {@code zeroIntensity} renders it with 0 % (off through a brightness command). */
    public record ModeCommand(CommandTemplate template, boolean zeroIntensity) {
    }

    private final String lightId;
    private final String driver;
    private final Map<Mode, ModeCommand> commands;
    private final @Nullable Pattern ack;
    private final @Nullable Pattern error;
    private final String terminators;
    private final @Nullable String strobeNote;
    private final @Nullable String keepAlive;
    private boolean noted;

    /**
     * @param replyEnd   characters besides CR and LF that end a reply (e.g. a prompt {@code >})
     * @param strobeNote logged once at INFO on the first strobe setting (camera-strobe: pulse and delay are ignored)
     * @param keepAlive  the keep-alive query with its line ending ({@code options.poll}), or null
     */
    public TemplateProtocol(String lightId, String driver, Map<Mode, ModeCommand> commands, @Nullable Pattern ack, @Nullable Pattern error,
            String replyEnd, @Nullable String strobeNote, @Nullable String keepAlive) {
        if (error != null && ack == null) {
            throw new IllegalArgumentException("an error pattern needs an acknowledgement pattern");
        }
        this.lightId = lightId;
        this.driver = driver;
        this.commands = new EnumMap<>(commands);
        this.ack = ack;
        this.error = error;
        this.terminators = "\r\n" + replyEnd;
        this.strobeNote = strobeNote;
        this.keepAlive = keepAlive;
    }

    @Override
    public String command(int channel, LightSetting setting) throws LightException {
        ModeCommand command = commands.get(setting.mode());
        if (command == null) {
            String key = setting.mode().name().toLowerCase(Locale.ROOT);
            throw new LightException(LightException.Code.BAD_SETTING, "light controller '" + lightId + "' (driver " + driver + ") has no lights["
                    + lightId + "].options." + key + " template, so it cannot set channel " + channel + " to " + key);
        }
        if (setting.mode() == Mode.STROBE && strobeNote != null && !noted) {
            noted = true;
            LOG.atInfo().addKeyValue("light", lightId).log(strobeNote);
        }
        double intensity = command.zeroIntensity() ? 0 : setting.intensityPct();
        return command.template().render(new CommandTemplate.Values(channel, intensity, setting.pulseUs(), setting.delayUs()));
    }

    @Override
    public void awaitAcknowledgement(String command, ReplyReader replies) throws IOException, RefusedReply {
        Pattern ackPattern = ack;
        if (ackPattern == null) {
            return; // this controller does not answer; nothing to wait for
        }
        String echo = WireText.stripEol(command);
        StringBuilder reply = new StringBuilder();
        while (true) {
            reply.append(replies.readThroughAny(terminators));
            String text = withoutEcho(reply.toString(), echo);
            if (error != null) {
                Matcher refused = error.matcher(text);
                if (refused.find()) {
                    throw refusal(refused);
                }
            }
            if (ackPattern.matcher(text).find()) {
                return;
            }
        }
    }

    @Override
    public @Nullable String keepAliveCommand() {
        return keepAlive;
    }

    @Override
    public String awaitedReply() {
        return ack == null ? "" : " (a reply must match lights[" + lightId + "].options.ack /" + ack.pattern() + "/)";
    }

    private static String withoutEcho(String reply, String echo) {
        String text = reply.stripLeading();
        return !echo.isEmpty() && text.startsWith(echo) ? text.substring(echo.length()) : text;
    }

    private static RefusedReply refusal(Matcher m) {
        Map<String, Integer> named = m.pattern().namedGroups();
        Integer code = null;
        if (named.containsKey("code") && m.group("code") != null) {
            try {
                code = Integer.valueOf(m.group("code").strip());
            } catch (NumberFormatException e) {
                code = null; // a code that is not a number stays in the text
            }
        }
        String text;
        if (named.containsKey("text") && m.group("text") != null) {
            text = m.group("text");
        } else if (named.isEmpty() && m.groupCount() >= 1 && m.group(1) != null) {
            text = m.group(1);
        } else {
            text = m.group();
        }
        return new RefusedReply(code, text.strip());
    }
}
