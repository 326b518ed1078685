/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.station.auth.Role;
import io.linesight.station.auth.StationCredentials;
import io.linesight.station.auth.UserStore;
import io.linesight.station.plc.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("remote HMI logins should")
class LoginTokensTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    LoginTokens tokens;

    @BeforeEach
    void users() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        users.put("eng", Role.ENGINEER, "246802");
        tokens = new LoginTokens(new StationCredentials(dir), clock, Duration.ofMinutes(10));
    }

    @Test
    void token_isValidForItsHmiUntilItExpires_andNowhereElse() throws Exception {
        String t = tokens.login("hmi-panel1", "eng", "246802".toCharArray());
        assertThat(tokens.check("hmi-panel1", t).user()).isEqualTo("eng");
        assertThatThrownBy(() -> tokens.check("hmi-panel2", t)).hasMessage("login token was issued to another HMI");
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> tokens.check("hmi-panel1", t)).hasMessage("login token unknown or expired: log in again");
    }

    @Test
    void fiveWrongPins_lockTheUser_evenWithTheRightPinAfterwards() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> tokens.login("h", "eng", "000000".toCharArray())).hasMessage("wrong user or PIN");
        }
        assertThatThrownBy(() -> tokens.login("h", "eng", "000000".toCharArray())).hasMessageContaining("locked out until");
        assertThatThrownBy(() -> tokens.login("h", "eng", "246802".toCharArray())).hasMessageContaining("is locked out");
        clock.advance(io.linesight.station.auth.Session.LOCKOUT);
        assertThat(tokens.login("h", "eng", "246802".toCharArray())).isNotBlank();
    }

    @Test
    void unknownUser_getsTheAnswerOfAWrongPin_andCostsAPinHash() throws Exception {
        // compare within one run: an unknown name must take about as long as a wrong PIN (both hash once)
        long wrong = 0;
        long unknown = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> tokens.login("h", "eng", "111111".toCharArray())).hasMessage("wrong user or PIN");
            long t1 = System.nanoTime();
            assertThatThrownBy(() -> tokens.login("h", "ghost" + System.nanoTime() % 1000, "111111".toCharArray()))
                    .hasMessage("wrong user or PIN");
            long t2 = System.nanoTime();
            wrong += t1 - t0;
            unknown += t2 - t1;
        }
        assertThat((double) unknown / wrong).as("unknown user / wrong PIN time").isGreaterThan(0.3);
    }

    @Test
    void noUsersFile_refusesEveryLogin_sayingWhereToStart() {
        LoginTokens none = new LoginTokens(new StationCredentials(dir.resolve("nothing")), clock, Duration.ofMinutes(1));
        assertThatThrownBy(() -> none.login("h", "admin", "975310".toCharArray()))
                .hasMessageContaining("no HMI users yet");
    }

    @Test
    void replyTopics_mustStayInsideTheStation_andAnHmiInsideItsOwnFolder() {
        CommandTrust trust = new CommandTrust(new Topics("l1", "s1"), null, tokens);
        var plc = new CommandTrust.Origin(CommandTrust.Channel.PLC, "plc", null);
        var hmi = new CommandTrust.Origin(CommandTrust.Channel.HMI, "hmi-a", null);
        assertThat(trust.replyTopicAllowed(plc, "linesight/l1/s1/plc/replies")).isTrue();
        assertThat(trust.replyTopicAllowed(plc, "plant/replies")).isFalse();
        assertThat(trust.replyTopicAllowed(plc, "linesight/l1/s10/x")).isFalse();
        assertThat(trust.replyTopicAllowed(plc, "linesight/l1/s1/#")).isFalse();
        assertThat(trust.replyTopicAllowed(hmi, "linesight/l1/s1/hmi/reply/hmi-a/x")).isTrue();
        assertThat(trust.replyTopicAllowed(hmi, "linesight/l1/s1/hmi/reply/hmi-b/x")).isFalse();
        assertThat(trust.replyTopicAllowed(hmi, "linesight/l1/s1/verdict")).isFalse();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
