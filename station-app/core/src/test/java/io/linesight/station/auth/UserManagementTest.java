/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.ResultsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserManagementTest {
    @TempDir
    Path dir;

    SessionTest.MovableClock clock;
    ResultsStore store;
    AuditLog audit;

    @BeforeEach
    void setUp() throws Exception {
        clock = new SessionTest.MovableClock();
        store = ResultsStore.openSqlite(dir.resolve("data"), "l1", "s1");
        audit = new AuditLog(store, clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Session session(UserStore users) {
        return new Session(users, audit, clock, Duration.ofMinutes(5));
    }

    @Test
    void firstAdminPin_isRandom_givenOnceForTheScreen_andAbsentFromTheUsersFile() throws Exception {
        UserStore users = UserStore.open(dir, null);
        String pin = users.takeFirstAdminPin();
        assertThat(pin).matches("[0-9]{6}");
        assertThat(users.takeFirstAdminPin()).as("shown once").isNull();
        assertThat(users.verify("admin", pin.toCharArray())).isNotNull();
        assertThat(Files.readString(users.file())).doesNotContain(pin);
        assertThat(UserStore.open(dir, null).takeFirstAdminPin()).as("an existing file makes no new PIN").isNull();
    }

    @Test
    void adminAddsEngineer_engineerChangesOwnPin_everyStepAudited_noPinInTheTrail() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        Session admin = session(users);
        assertThat(admin.login("admin", "975310".toCharArray())).isEqualTo(Session.Outcome.OK);
        admin.addUser("eve", Role.ENGINEER, "246810");
        admin.logout("done");

        Session eve = session(users);
        assertThat(eve.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.OK);
        assertThat(eve.can(Role.ENGINEER)).isTrue();
        assertThat(eve.changeOwnPin("111111".toCharArray(), "135790")).as("wrong current PIN").isFalse();
        assertThat(eve.changeOwnPin("246810".toCharArray(), "135790")).isTrue();
        assertThat(users.verify("eve", "246810".toCharArray())).isNull();
        assertThat(users.verify("eve", "135790".toCharArray())).isNotNull();

        assertThat(audit.entries()).extracting(AuditRecord::action)
                .containsSubsequence("login", "user-add", "logout", "login", "pin-change-failed", "pin-change");
        assertThat(audit.entries()).allSatisfy(r -> assertThat(r.toString())
                .doesNotContain("975310").doesNotContain("246810").doesNotContain("135790"));
    }

    @Test
    void onlyAnAdminManagesUsers_andWhatIsRefusedChangesNothing() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        users.put("eve", Role.ENGINEER, "246810");
        Session eve = session(users);
        eve.login("eve", "246810".toCharArray());
        int before = audit.entries().size();
        assertThatThrownBy(() -> eve.addUser("mallory", Role.ADMIN, "123456"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only an admin");
        assertThatThrownBy(() -> eve.setRole("eve", Role.ADMIN)).hasMessageContaining("only an admin");
        assertThat(users.user("mallory")).isNull();
        assertThat(users.user("eve").role()).isEqualTo(Role.ENGINEER);
        assertThat(audit.entries()).hasSize(before);
    }

    @Test
    void lastAdmin_cannotBeRemovedOrDemoted_andShortPinsAreRefusedBeforeAnyRecord() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        Session admin = session(users);
        admin.login("admin", "975310".toCharArray());
        admin.addUser("bob", Role.OPERATOR, "555555");
        int before = audit.entries().size();
        assertThatThrownBy(() -> admin.setRole("admin", Role.ENGINEER)).hasMessageContaining("last admin");
        assertThatThrownBy(() -> admin.removeUser("admin")).hasMessageContaining("yourself");
        assertThatThrownBy(() -> admin.addUser("carl", Role.ENGINEER, "1234")).hasMessageContaining("6..12 digits");
        assertThatThrownBy(() -> admin.addUser("bob", Role.ENGINEER, "123456")).hasMessageContaining("exists");
        assertThatThrownBy(() -> admin.resetPin("nobody", "123456")).hasMessageContaining("no user 'nobody'");
        assertThat(audit.entries()).as("refused changes leave no record").hasSize(before);

        admin.setRole("bob", Role.ADMIN);
        admin.removeUser("bob");
        assertThat(users.user("bob")).isNull();
    }

    @Test
    void minimumPinLength_isConfigurable_andTheEnvironmentsAdminPinMustMeetIt() throws Exception {
        UserStore four = UserStore.open(dir.resolve("a"), "9753", 4);
        four.put("eve", Role.ENGINEER, "2468");
        assertThat(four.verify("eve", "2468".toCharArray())).isNotNull();
        assertThatThrownBy(() -> UserStore.open(dir.resolve("b"), "9753"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LINESIGHT_ADMIN_PIN")
                .hasMessageContaining("6..12 digits");
        assertThat(dir.resolve("b").resolve("hmi-users.json")).doesNotExist();
        assertThatThrownBy(() -> UserStore.open(dir.resolve("c"), null, 3)).hasMessageContaining("4..12");
    }

    @Test
    void lockOut_survivesARestart_andAnAdminsPinResetLiftsIt() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        users.put("eve", Role.ENGINEER, "246810");
        Session first = session(users);
        for (int i = 0; i < Session.MAX_FAILURES; i++) {
            first.login("eve", "000000".toCharArray());
        }
        assertThat(first.login("eve", "246810".toCharArray())).isEqualTo(Session.Outcome.LOCKED_OUT);

        // the station restarts: a new store and session read the same files
        UserStore reopened = UserStore.open(dir, null);
        Session second = session(reopened);
        assertThat(second.login("eve", "246810".toCharArray())).as("still locked after a restart")
                .isEqualTo(Session.Outcome.LOCKED_OUT);
        assertThat(second.login("admin", "975310".toCharArray())).isEqualTo(Session.Outcome.OK);
        second.resetPin("eve", "864200");
        second.logout("done");
        assertThat(second.login("eve", "864200".toCharArray())).isEqualTo(Session.Outcome.OK);
    }

    @Test
    void unknownNames_areCountedAndLockedLikeKnownOnes() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        Session s = session(users);
        for (int i = 0; i < Session.MAX_FAILURES - 1; i++) {
            assertThat(s.login("ghost", "123456".toCharArray())).isEqualTo(Session.Outcome.WRONG_PIN);
        }
        assertThat(s.login("ghost", "123456".toCharArray())).isEqualTo(Session.Outcome.LOCKED_OUT);
    }

    @Test
    void anUnknownName_costsAboutAsMuchTimeAsAWrongPin() throws Exception {
        UserStore users = UserStore.open(dir, "975310");
        users.verify("admin", "000000".toCharArray()); // warm up the hashing code
        users.verify("ghost", "000000".toCharArray());
        double[] ratios = new double[9];
        for (int i = 0; i < ratios.length; i++) { // paired, so machine load hits both of a pair alike
            long t0 = System.nanoTime();
            users.verify("admin", "000000".toCharArray());
            long t1 = System.nanoTime();
            users.verify("ghost", "000000".toCharArray());
            long t2 = System.nanoTime();
            ratios[i] = (double) (t2 - t1) / (t1 - t0);
        }
        java.util.Arrays.sort(ratios);
        // without the dummy hash an unknown name answers in microseconds: a ratio near 0, not near 1; the median
        // pair, so a pause that hits one call of a pair on a loaded machine does not decide it
        assertThat(ratios[ratios.length / 2]).as("median of unknown-name time / wrong-PIN time").isGreaterThan(0.5);
    }
}
