/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.sim;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The command interpreter behind {@link GardasoftSimServer}, after the Gardasoft RT-series manual: one command per
 * line, ended by CR; times in milliseconds unless suffixed {@code US} or {@code MS}; a reply is zero or more lines
 * (CR LF) followed by the prompt {@code >}; a refused command answers {@code Err <n>} before the prompt.
 *
 * <ul>
 *   <li>{@code RT<ch>,<pulse>,<delay>,<setting %>[,<retrigger>]}: pulse (strobe) mode</li>
 *   <li>{@code RS<ch>,<setting %>}: continuous mode; {@code RS<ch>,0} is off</li>
 *   <li>{@code RW<ch>,<setting %>}: switched mode</li>
 *   <li>{@code VR} firmware version, {@code ST} status of every channel, {@code GR} clear errors, {@code AW} save</li>
 * </ul>
 * Error codes: {@value #ERR_BAD_FORMAT} for a command it cannot parse, {@value #ERR_OUT_OF_RANGE} for a parameter
 * out of range (the channel number included). Thread-safe.
 */
public final class GardasoftSimProtocol {
    /** Bad command format (the code the RT-series controllers use for it). */
    public static final int ERR_BAD_FORMAT = 21;
    /** A parameter is out of range. */
    public static final int ERR_OUT_OF_RANGE = 5;
    public static final String VERSION = "Linesight Gardasoft-style simulator 1.0";

    private static final String NUMBER = "\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(US|MS)?\\s*";
    private static final Pattern PULSE = Pattern.compile("RT(\\d+)," + NUMBER + "," + NUMBER + "," + NUMBER + "(?:," + NUMBER + ")?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LEVEL = Pattern.compile("R([SW])(\\d+)," + NUMBER, Pattern.CASE_INSENSITIVE);
    private static final Pattern SETTING_COMMAND = Pattern.compile("^\\s*R[STW].*", Pattern.CASE_INSENSITIVE);

    public enum Mode { CONTINUOUS, PULSE, SWITCHED }

    /** A channel's setting: brightness in percent, and for pulse mode the pulse width and delay in milliseconds. */
    public record ChannelState(Mode mode, double settingPct, double pulseMs, double delayMs) {
    }

    private final int channelCount;
    private final Map<Integer, ChannelState> channels = new ConcurrentHashMap<>();

    public GardasoftSimProtocol(int channelCount) {
        if (channelCount < 1) {
            throw new IllegalArgumentException("channel count must be at least 1, got " + channelCount);
        }
        this.channelCount = channelCount;
    }

    static boolean isSettingCommand(String command) {
        return SETTING_COMMAND.matcher(command).matches();
    }

    public static String errorReply(int code) {
        return "Err " + code + "\r\n>";
    }

    public @Nullable ChannelState channel(int channel) {
        return channels.get(channel);
    }

    public Map<Integer, ChannelState> channels() {
        return Map.copyOf(channels);
    }

    /** Runs one command line (without its CR) and returns the full reply, prompt included. */
    public String execute(String line) {
        String command = line.strip();
        Matcher pulse = PULSE.matcher(command);
        if (pulse.matches()) {
            return setPulse(pulse);
        }
        Matcher level = LEVEL.matcher(command);
        if (level.matches()) {
            return setLevel(level);
        }
        return switch (command.toUpperCase(Locale.ROOT)) {
            case "VR" -> VERSION + "\r\n>";
            case "ST" -> status();
            case "GR", "AW" -> ">";
            default -> errorReply(ERR_BAD_FORMAT);
        };
    }

    private String setPulse(Matcher m) {
        int channel = Integer.parseInt(m.group(1));
        double pulseMs = millis(m.group(2), m.group(3));
        double delayMs = millis(m.group(4), m.group(5));
        if (m.group(7) != null) {
            return errorReply(ERR_BAD_FORMAT); // a brightness has no unit
        }
        double setting = Double.parseDouble(m.group(6));
        if (m.group(8) != null && millis(m.group(8), m.group(9)) > 999) {
            return errorReply(ERR_OUT_OF_RANGE);
        }
        if (!validChannel(channel) || pulseMs < 0.001 || pulseMs > 999 || delayMs > 999 || setting > 999) {
            return errorReply(ERR_OUT_OF_RANGE);
        }
        channels.put(channel, new ChannelState(Mode.PULSE, setting, pulseMs, delayMs));
        return ">";
    }

    private String setLevel(Matcher m) {
        int channel = Integer.parseInt(m.group(2));
        if (m.group(4) != null) {
            return errorReply(ERR_BAD_FORMAT); // a brightness has no unit
        }
        double setting = Double.parseDouble(m.group(3));
        if (!validChannel(channel) || setting > 100) {
            return errorReply(ERR_OUT_OF_RANGE);
        }
        Mode mode = m.group(1).equalsIgnoreCase("S") ? Mode.CONTINUOUS : Mode.SWITCHED;
        channels.put(channel, new ChannelState(mode, setting, 0, 0));
        return ">";
    }

    private boolean validChannel(int channel) {
        return channel >= 1 && channel <= channelCount;
    }

    private String status() {
        StringBuilder out = new StringBuilder();
        Map<Integer, ChannelState> sorted = new TreeMap<>(channels);
        for (int ch = 1; ch <= channelCount; ch++) {
            ChannelState s = sorted.getOrDefault(ch, new ChannelState(Mode.CONTINUOUS, 50, 1, 1));
            out.append(String.format(Locale.ROOT, "CH%d,MD%d,S%5.1f,%4.1f,DL%.3fms,PU%.3fms\r\n",
                    ch, s.mode().ordinal(), s.settingPct(), 0.0, s.delayMs(), s.pulseMs()));
        }
        return out.append('>').toString();
    }

    private static double millis(String value, @Nullable String unit) {
        double v = Double.parseDouble(value);
        return unit != null && unit.equalsIgnoreCase("US") ? v / 1000.0 : v;
    }
}
