/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

import io.linesight.station.plc.Topics;
import org.jspecify.annotations.Nullable;

/**
 * Who may command the station, and the trail of what was asked. Every command other than a trigger is written to the
 * audit trail (claimed sender, command, channel, outcome) before the station acts on it; one the trail cannot take is
 * refused. Replies go only to topics inside the station's own subtree. Commands from a remote HMI
 * ({@code hmi/cmd/<identity>/<command>}, where the broker's ACL lets each HMI identity publish only under its own name)
 * need a login token from {@link LoginTokens}; only the {@code login} command itself goes without.
 *
 * <p>Triggers are not audited one by one: each triggered part is recorded as a verdict row in the same store, and
 * refused triggers are counted ({@code status.refusedTriggers}). Thread-safe; {@link #admit} blocks for the audit
 * write (and a PIN hash on login), so it is called from the "plc-commands" thread, never from the MQTT client's.
 */
public final class CommandTrust {

    /** Where a command came from: the PLC's {@code cmd/…} or a remote HMI's {@code hmi/cmd/<identity>/…}. */
    public enum Channel { PLC, HMI }

    /**
     * One command's origin.
     *
     * @param identity      {@code plc}, or the HMI's broker identity (from the topic, so guaranteed by the broker ACL)
     * @param claimedSender what the message says about its sender ({@code "sender"}), unverified; null if none
     */
    public record Origin(Channel channel, String identity, @Nullable String claimedSender) {
        /** The audit trail's "who": the claim, with the channel it came through. */
        String who() {
            String via = channel == Channel.PLC ? "plc" : "hmi/" + identity;
            return claimedSender == null || claimedSender.isBlank() ? via : abbreviate(claimedSender) + " via " + via;
        }
    }

    /** What {@link #admit} decided. */
    public sealed interface Admission {
        /** Go ahead; {@code who} is the user the station vouches for (token) or the claimed sender. */
        record Allowed(String who) implements Admission {
        }

        /** Not done; the reason goes to the sender and is in the trail. */
        record Refused(String reason) implements Admission {
        }

        /** A login: answered with a token and nothing else happens. */
        record LoggedIn(String token, String user, String role, String expiresAt) implements Admission {
        }
    }

    private final Topics topics;
    private final @Nullable AuditTrail audit;
    private final @Nullable LoginTokens tokens;

    /**
     * @param audit  the station's trail; null only for a station without a results store (tests of the command
     *               parser), where nothing is audited
     * @param tokens remote HMI logins; null refuses every remote HMI command
     */
    public CommandTrust(Topics topics, @Nullable AuditTrail audit, @Nullable LoginTokens tokens) {
        this.topics = topics;
        this.audit = audit;
        this.tokens = tokens;
    }

    /** Whether a reply may go to {@code topic}: inside the station's subtree (an HMI: inside its own reply folder). */
    public boolean replyTopicAllowed(Origin origin, String topic) {
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.indexOf('\0') >= 0) {
            return false;
        }
        String prefix = origin.channel() == Channel.HMI ? topics.hmiReply(origin.identity()) + "/" : topics.base() + "/";
        return topic.startsWith(prefix) && !topic.contains("/../");
    }

    /**
     * Audits the command and decides whether it may act. A refusal is audited with its reason; a command the trail
     * cannot record is refused. Blocks for the database write.
     *
     * @param token         the command's {@code "token"}, or null
     * @param responseTopic the request's MQTT 5 response topic, or null
     * @param login         for {@code login}: the user name and PIN (the PIN is cleared); else null
     */
    public Admission admit(Origin origin, String command, @Nullable String token, @Nullable String responseTopic,
                           @Nullable Login login) {
        String action = "cmd/" + abbreviate(command);
        String subject = origin.channel() == Channel.PLC ? "plc" : "hmi/" + origin.identity();
        if (responseTopic != null && !replyTopicAllowed(origin, responseTopic)) {
            return refuse(origin.who(), action, subject, "response topic '" + abbreviate(responseTopic)
                    + "' is outside " + (origin.channel() == Channel.HMI ? topics.hmiReply(origin.identity())
                    : topics.base()) + "/");
        }
        if (origin.channel() == Channel.PLC) {
            return allow(origin.who(), action, subject);
        }
        if (command.equals("trigger")) {
            return refuse(origin.who(), action, subject, "only the PLC triggers parts (cmd/trigger)");
        }
        LoginTokens t = tokens;
        if (t == null) {
            return refuse(origin.who(), action, subject, "this station takes no commands from remote HMIs");
        }
        if (command.equals("login")) {
            if (login == null) {
                return refuse(origin.who(), action, subject, "login needs {\"user\": \"…\", \"pin\": \"…\"}");
            }
            String who = abbreviate(login.user()) + " via hmi/" + origin.identity();
            try {
                String issued = t.login(origin.identity(), login.user(), login.pin());
                LoginTokens.Grant g = t.check(origin.identity(), issued);
                record(who, "remote-login", subject, "token until " + g.expiresAt(), issued);
                return new Admission.LoggedIn(issued, g.user(), g.role(), g.expiresAt().toString());
            } catch (LoginTokens.Refused e) {
                return refuse(who, "remote-login", subject, String.valueOf(e.getMessage()));
            } catch (NotRecorded e) {
                t.revoke(issuedOrEmpty(e));
                return new Admission.Refused(String.valueOf(e.getMessage()));
            }
        }
        try {
            LoginTokens.Grant g = t.check(origin.identity(), token);
            return allow(g.user() + " via hmi/" + origin.identity(), action, subject);
        } catch (LoginTokens.Refused e) {
            return refuse(origin.who(), action, subject, command + " from a remote HMI needs an engineer or admin login: "
                    + e.getMessage());
        }
    }

    /** A login request's fields. */
    public record Login(String user, char[] pin) {
    }

    /** Records what became of a command that was allowed. Never throws: the action is done already. */
    public void outcome(Origin origin, String who, String command, String outcome) {
        try {
            record(who, "cmd/" + abbreviate(command), origin.channel() == Channel.PLC ? "plc" : "hmi/" + origin.identity(),
                    outcome);
        } catch (NotRecorded e) {
            org.slf4j.LoggerFactory.getLogger(CommandTrust.class).atError().setMessage("command outcome not audited")
                    .addKeyValue("command", abbreviate(command)).addKeyValue("outcome", outcome)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    private Admission allow(String who, String action, String subject) {
        try {
            record(who, action, subject, "accepted");
            return new Admission.Allowed(who);
        } catch (NotRecorded e) {
            return new Admission.Refused(String.valueOf(e.getMessage()));
        }
    }

    private Admission refuse(String who, String action, String subject, String reason) {
        try {
            record(who, action, subject, "refused: " + reason);
        } catch (NotRecorded e) {
            return new Admission.Refused(reason + " (" + e.getMessage() + ")");
        }
        return new Admission.Refused(reason);
    }

    /** The trail could not take a record: what it was about is not done. */
    private static final class NotRecorded extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient @Nullable String token;

        NotRecorded(String message, @Nullable String token, Throwable cause) {
            super(message, cause);
            this.token = token;
        }
    }

    private static String issuedOrEmpty(NotRecorded e) {
        return e.token == null ? "" : e.token;
    }

    private void record(String who, String action, String subject, String after) throws NotRecorded {
        record(who, action, subject, after, null);
    }

    private void record(String who, String action, String subject, String after, @Nullable String token)
            throws NotRecorded {
        AuditTrail a = audit;
        if (a == null) {
            return;
        }
        try {
            a.record(who, action, subject, abbreviate(after, 500));
        } catch (Exception e) {
            throw new NotRecorded("audit trail unreachable (" + e.getMessage() + "); " + action + " not done", token, e);
        }
    }

    private static String abbreviate(String s) {
        return abbreviate(s, 64);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
