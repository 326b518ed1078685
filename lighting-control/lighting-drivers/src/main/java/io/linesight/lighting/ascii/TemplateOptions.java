/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.ascii;

import io.linesight.lighting.api.LightException;
import io.linesight.lighting.wire.DriverOptions;
import io.linesight.lighting.wire.Endpoint;
import io.linesight.lighting.wire.LinkTiming;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The options the template drivers share: reply patterns, line ending, keep-alive query, serial line, reconnect and
 * keep-alive timing.
 */
final class TemplateOptions {
    static final Set<String> REPLY_KEYS = Set.of("ack", "error", "eol", "replyEnd");

    private TemplateOptions() {
    }

    static Set<String> known(String... templateKeys) {
        Set<String> keys = new HashSet<>(Set.of(templateKeys));
        keys.addAll(REPLY_KEYS);
        keys.addAll(Endpoint.SERIAL_OPTIONS);
        keys.addAll(LinkTiming.OPTIONS);
        keys.add("poll");
        return Set.copyOf(keys);
    }

    static @Nullable Pattern pattern(DriverOptions options, String key) throws LightException {
        String regex = options.string(key);
        if (regex == null) {
            return null;
        }
        if (regex.isEmpty()) {
            throw options.bad(key, "an empty pattern matches every reply; leave the option out instead");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw options.bad(key, "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex() + " of '" + regex + "'");
        }
    }

    record ReplyPatterns(@Nullable Pattern ack, @Nullable Pattern error) {
    }

    /** The ack and error patterns, checked to go together. */
    static ReplyPatterns replyPatterns(DriverOptions options) throws LightException {
        Pattern ack = pattern(options, "ack");
        Pattern error = pattern(options, "error");
        if (error != null && ack == null) {
            throw options.bad("error", "needs options.ack too: without an acknowledgement pattern the driver cannot tell a good reply");
        }
        return new ReplyPatterns(ack, error);
    }

    /** The line ending appended to templates without one: {@code options.eol}, default CR. */
    static String eol(DriverOptions options) throws LightException {
        String eol = options.string("eol");
        if (eol == null) {
            return "\r";
        }
        String text = eol.replace("\\r", "\r").replace("\\n", "\n");
        if (!text.matches("[\r\n]{1,2}")) {
            throw options.bad("eol", "must be \\r, \\n or \\r\\n");
        }
        return text;
    }

    /**
     * The keep-alive query, {@code options.poll}: a command without placeholders that the controller answers without
     * changing anything (a status or version request); its reply is checked like an acknowledgement. Null when not
     * configured: then the keep-alive only checks that the link is open.
     */
    static @Nullable String keepAlive(DriverOptions options, String eol) throws LightException {
        String raw = options.string("poll");
        if (raw == null) {
            return null;
        }
        if (raw.isBlank()) {
            throw options.bad("poll", "an empty keep-alive query; give a status or version request, or leave the option out");
        }
        return CommandTemplate.parse(options, "poll", raw, Set.of(), eol).render(new CommandTemplate.Values(0, 0, 0, 0));
    }

    /** Characters besides CR and LF that end a reply: {@code options.replyEnd}, e.g. a prompt {@code >}. */
    static String replyEnd(DriverOptions options) throws LightException {
        String end = options.string("replyEnd");
        if (end == null) {
            return "";
        }
        if (end.isEmpty() || end.length() > 4) {
            throw options.bad("replyEnd", "give 1 to 4 characters that end a reply, such as >");
        }
        return end;
    }
}
