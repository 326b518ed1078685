/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {
    @TempDir
    Path dir;

    /** A clock the test moves; the session's timing rules are about wall time, not about waiting. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-05T06:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    MovableClock clock;
    UserStore users;
    ResultsStore store;
    AuditLog audit;
    Session session;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MovableClock();
        users = UserStore.open(dir, "975310");
        users.put("eve", Role.ENGINEER, "246810");
        store = ResultsStore.openSqlite(dir.resolve("data"), "l1", "s1");
        audit = new AuditLog(store, clock);
        session = new Session(users, audit, clock, Duration.ofMinutes(5));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void usersFile_holdsSaltedHashesNotPins_andEachUserHasOwnSalt() throws Exception {
        String json = Files.readString(users.file());
        assertThat(json).doesNotContain("975310").doesNotContain("246810").contains("\"iterations\" : 210000");
        UserStore reopened = UserStore.open(dir, null);
        assertThat(reopened.users()).extracting(User::salt).doesNotHaveDuplicates().hasSize(2);
        assertThat(reopened.verify("eve", "246810".toCharArray())).isNotNull();
        assertThat(reopened.verify("eve", "2469".toCharArray())).isNull();
    }

    @Test
    void noLogin_isOperator_rightPinGivesRole_wrongPinDoesNot() {
        assertThat(session.role()).isEqualTo(Role.OPERATOR);
        assertThat(session.login("eve", "1111".toCharArray())).isEqualTo(Session.Outcome.WRONG_PIN);
        assertThat(session.can(Role.ENGINEER)).isFalse();
        assertThat(session.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.OK);
        assertThat(session.role()).isEqualTo(Role.ENGINEER);
        assertThat(session.can(Role.ADMIN)).isFalse();
    }

    @Test
    void fiveWrongPins_lockOutForFiveMinutes_evenWithTheRightPin() {
        for (int i = 0; i < 4; i++) {
            assertThat(session.login("eve", "0000".toCharArray())).isEqualTo(Session.Outcome.WRONG_PIN);
        }
        assertThat(session.login("eve", "0000".toCharArray())).isEqualTo(Session.Outcome.LOCKED_OUT);
        assertThat(session.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.LOCKED_OUT);
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(session.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.LOCKED_OUT);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(session.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.OK);
    }

    @Test
    void idleLongerThanLimit_logsOut_touchesKeepItAlive() {
        session.login("admin", "975310".toCharArray());
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        session.touch();
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        assertThat(session.expireIfIdle()).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(session.expireIfIdle()).isTrue();
        assertThat(session.role()).isEqualTo(Role.OPERATOR);
    }

    @Test
    void everyLoginLogoutAndFailure_isAudited() throws Exception {
        session.login("eve", "1".toCharArray());
        session.login("eve", "246810".toCharArray());
        session.logout("button");
        assertThat(audit.entries()).extracting(AuditRecord::action)
                .containsExactly("login-failed", "login", "logout");
        assertThat(audit.entries().get(1).who()).isEqualTo("eve");
        assertThat(audit.entries().get(2).at()).isEqualTo(Instant.parse("2026-01-05T06:00:00Z"));
    }

    @Test
    void login_theTrailCannotRecord_isRefusedAndNobodyIsLoggedIn() {
        store.close(); // the results database is gone
        assertThatThrownBy(() -> session.login("eve", "246810".toCharArray()))
                .isInstanceOf(AuditException.class).hasMessageContaining("login not done");
        assertThat(session.role()).isEqualTo(Role.OPERATOR);
    }

    @Test
    void logout_theTrailCannotRecord_stillLogsOut() {
        assertThat(session.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.OK);
        store.close();
        session.logout("button");
        assertThat(session.role()).isEqualTo(Role.OPERATOR);
    }

    @Test
    void badPin_isRefusedWithItsRule() {
        assertThatThrownBy(() -> users.put("bob", Role.ENGINEER, "12a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6..12 digits");
    }
}
