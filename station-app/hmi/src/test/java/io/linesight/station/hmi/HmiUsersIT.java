/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.auth.Role;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.testing.TestStations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User management at the station's screen, on a real demo station in a real JavaFX window (X display needed, e.g.
 * {@code xvfb-run -a}): the first admin PIN shown once, an admin adding an engineer, the engineer changing their own
 * PIN, and a lock-out that a station restart does not lift.
 */
class HmiUsersIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsDisplay() {
        HmiIT.needsDisplay();
    }

    @Test
    void firstAdminPinShownOnce_adminAddsEngineer_engineerChangesOwnPin_lockOutSurvivesRestart() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0");
        LoadedStation loaded = TestStations.load(dir, yaml);
        Path data = dir.resolve("data");
        HmiOptions noPinGiven = new HmiOptions(false, Duration.ofMinutes(5), null);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, data)) {
            HmiApp hmi = HmiApp.open(station, () -> { }, noPinGiven);
            try {
                String notice = hmi.onFx(hmi::firstAdminPinNotice);
                assertThat(notice).as("the first admin PIN is on the screen").isNotNull();
                hmi.screenshot("Production", SCREENSHOTS.resolve("first-admin-pin.png"));
                Matcher m = Pattern.compile("PIN ([0-9]{6,12})").matcher(notice);
                assertThat(m.find()).isTrue();
                String adminPin = m.group(1);
                hmi.onFx(() -> {
                    hmi.dismissFirstAdminPin();
                    return null;
                });

                // an engineer screen needs a login; the admin logs in with the PIN from the screen
                assertThat(hmi.onFx(() -> hmi.show("Users"))).isFalse();
                login(hmi, "admin", adminPin);
                assertThat(hmi.onFx(() -> hmi.show("Users"))).isTrue();
                assertThat(hmi.onFx(() -> hmi.users().adminPartShown())).isTrue();
                hmi.onFx(() -> {
                    hmi.users().fillUser("eve", Role.ENGINEER, "1234");
                    hmi.users().press("Add");
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.users().message())).contains("Not done").contains("6..12 digits");
                hmi.onFx(() -> {
                    hmi.users().fillUser("eve", Role.ENGINEER, "246810");
                    hmi.users().press("Add");
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.users().message())).isEqualTo("added eve");
                assertThat(hmi.onFx(() -> hmi.users().listed())).contains("eve (engineer)");
                hmi.screenshot("Users", SCREENSHOTS.resolve("users.png"));

                // the engineer changes their own PIN and sees no admin part
                hmi.onFx(() -> {
                    hmi.session().logout("test");
                    return hmi.show("Production");
                });
                login(hmi, "eve", "246810");
                assertThat(hmi.onFx(() -> hmi.show("Users"))).isTrue();
                assertThat(hmi.onFx(() -> hmi.users().adminPartShown())).isFalse();
                hmi.onFx(() -> {
                    hmi.users().fillOwnPin("246810", "135790", "135790");
                    hmi.users().press("Change my PIN");
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.users().message())).isEqualTo("Your PIN is changed");

                // five wrong PINs lock eve out
                hmi.onFx(() -> {
                    hmi.session().logout("test");
                    return hmi.show("Production");
                });
                for (int i = 0; i < 5; i++) {
                    login(hmi, "eve", "000000");
                }
                assertThat(hmi.onFx(() -> hmi.login().message())).contains("locked out");
                assertThat(hmi.session().audit().entries()).extracting(AuditRecord::action)
                        .containsSubsequence("login", "user-add", "login", "pin-change", "locked-out");
            } finally {
                hmi.close();
            }
        }

        // the station restarts on the same data: no new PIN on the screen, eve still locked out
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, data)) {
            HmiApp hmi = HmiApp.open(station, () -> { }, noPinGiven);
            try {
                assertThat(hmi.onFx(hmi::firstAdminPinNotice)).isNull();
                login(hmi, "eve", "135790");
                assertThat(hmi.session().role()).as("the right PIN, but locked out").isEqualTo(Role.OPERATOR);
                assertThat(hmi.onFx(() -> hmi.login().message())).contains("locked out");
            } finally {
                hmi.close();
            }
        }
    }

    private static void login(HmiApp hmi, String user, String pin) throws Exception {
        hmi.onFx(() -> {
            if (!hmi.loginOpen()) {
                hmi.openLoginForTest();
            }
            hmi.login().select(user);
            hmi.login().pad().enter(pin);
            return null;
        });
    }
}
