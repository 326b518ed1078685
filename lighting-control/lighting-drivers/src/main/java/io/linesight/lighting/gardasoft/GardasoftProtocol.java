/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.gardasoft;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.RefusedReply;
import io.linesight.lighting.wire.ReplyReader;
import io.linesight.lighting.wire.Transport;
import io.linesight.lighting.wire.WireProtocol;
import io.linesight.lighting.wire.WireText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Gardasoft RT-series command set, as its user manual describes it (see lighting-control/README.md):
 *
 * <ul>
 *   <li>strobe: {@code RT<ch>,<pulse ms>,<delay ms>,<setting %>} (pulse mode: one pulse per trigger input)</li>
 *   <li>continuous: {@code RS<ch>,<setting %>}; off: {@code RS<ch>,0}</li>
 *   <li>greeting after each connect, and keep-alive on a silent link: {@code VR} (firmware version)</li>
 * </ul>
 * Times go in milliseconds, the manual's default unit, to 0.1 µs; brightness to 0.1 %. Each command ends with CR.
 * A reply is complete at the prompt {@code >}; before it may come the echo of the command (serial ports echo) and, for
 * a refused command, {@code Err <n>}.
 */
public final class GardasoftProtocol implements WireProtocol {
    private static final Pattern ERROR = Pattern.compile("(?i)\\s*Err(?:or)?\\s*(\\d+)\\s*[:,-]?\\s*(.*)");
    /** What the codes we have seen documented mean; other codes are reported by number. */
    private static final Map<Integer, String> KNOWN_ERRORS = Map.of(
            5, "a parameter is out of range",
            21, "bad command format");
    /** A harmless query every controller of the series answers: the greeting and the keep-alive. */
    private static final String VERSION_REQUEST = "VR\r";

    @Override
    public String command(int channel, LightSetting setting) throws LightException {
        String level = WireText.plain(setting.intensityPct(), 1);
        return switch (setting.mode()) {
            case STROBE -> "RT" + channel + "," + millis(setting.pulseUs()) + "," + millis(setting.delayUs()) + "," + level + "\r";
            case CONTINUOUS -> "RS" + channel + "," + level + "\r";
            case OFF -> "RS" + channel + ",0\r";
        };
    }

    @Override
    public void awaitAcknowledgement(String command, ReplyReader replies) throws IOException, RefusedReply {
        refuseOnError(replyLines(command, replies.readUntil('>')));
    }

    @Override
    public @Nullable String greet(Transport transport, ReplyReader replies) throws IOException, RefusedReply {
        String command = VERSION_REQUEST;
        transport.write(command.getBytes(StandardCharsets.US_ASCII));
        List<String> lines = replyLines(command, replies.readUntil('>'));
        refuseOnError(lines);
        return lines.isEmpty() ? null : "firmware " + String.join(" ", lines);
    }

    @Override
    public String keepAliveCommand() {
        return VERSION_REQUEST;
    }

    private static void refuseOnError(List<String> lines) throws RefusedReply {
        for (String line : lines) {
            Matcher error = ERROR.matcher(line);
            if (error.matches()) {
                int code = Integer.parseInt(error.group(1));
                String text = error.group(2).isBlank() ? KNOWN_ERRORS.getOrDefault(code, "controller error " + code) : error.group(2).strip();
                throw new RefusedReply(code, text);
            }
        }
    }

    /** The reply's non-empty lines without the echo of the command. */
    static List<String> replyLines(String command, String reply) {
        String echo = WireText.stripEol(command);
        List<String> lines = new ArrayList<>();
        for (String line : reply.split("[\r\n]+")) {
            String text = line.strip();
            if (!text.isEmpty() && !text.equalsIgnoreCase(echo)) {
                lines.add(text);
            }
        }
        return lines;
    }

    /** Microseconds as the manual's milliseconds: 100 → "0.1", 20.5 → "0.0205". */
    static String millis(double micros) {
        return WireText.plain(Math.round(micros * 10) / 10_000.0, 4);
    }
}
