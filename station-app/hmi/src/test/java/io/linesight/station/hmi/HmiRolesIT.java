/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.auth.AuditLog;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.auth.Role;
import io.linesight.station.hmi.recipe.RecipePreview;
import io.linesight.station.testing.Peers;
import io.linesight.station.testing.TestStations;
import io.linesight.station.trigger.TimerTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, roles and the engineer's screens on a real demo station in a real JavaFX window (X display needed, e.g.
 * {@code xvfb-run -a}); skipped without one.
 */
class HmiRolesIT {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsDisplay() {
        Peers.requireDisplay();
        System.setProperty("prism.order", "sw");
        HmiApp.startToolkit(); // before the station loads OpenCV (GTK 2)
    }

    @Test
    void operatorCannotOpenRecipes_wrongPinAndLockOut_engineerEditsSavesPreviewsAndChangesOver() throws Exception {
        // a long deadline keeps a burst of parts in flight (not timed out) while the change-over is tried
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 8000");
        LoadedStation loaded = TestStations.load(dir, yaml);
        Path recipeFile = loaded.recipeDir().resolve("bracket.yaml");
        // archive every good part too, so the preview has passes to flip
        Files.writeString(recipeFile, Files.readString(recipeFile).replace("okEveryN: 50", "okEveryN: 1"));
        Files.copy(recipeFile, loaded.recipeDir().resolve("bracket-b.yaml"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(loaded.recipeDir().resolve("bracket-b.yaml"), Files.readString(recipeFile)
                .replace("name: bracket", "name: bracket-b").replace("BRK-100", "BRK-200"));
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            HmiApp hmi = HmiApp.open(station, () -> { }, new HmiOptions(false, Duration.ofMinutes(5), "975310"));
            try {
                hmi.session().users().put("eve", Role.ENGINEER, "246810");
                try (TimerTrigger trigger = new TimerTrigger(20, 40, station::trigger)) {
                    while (trigger.triggered() < 40) {
                        Thread.sleep(20);
                    }
                }
                assertThat(station.awaitIdle(10_000)).isTrue();

                // operator (nobody logged in) cannot open Recipes: the login opens instead
                assertThat(hmi.onFx(() -> hmi.show("Recipes"))).isFalse();
                assertThat(hmi.onFx(hmi::loginOpen)).isTrue();
                hmi.screenshot("Production", SCREENSHOTS.resolve("login.png"));
                hmi.onFx(() -> {
                    hmi.login().select("eve");
                    hmi.login().pad().enter("1111");
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.login().message())).contains("Wrong PIN");
                assertThat(hmi.session().role()).isEqualTo(Role.OPERATOR);
                hmi.onFx(() -> {
                    hmi.login().select("admin");
                    for (int i = 0; i < 5; i++) {
                        hmi.login().pad().enter("0000");
                    }
                    hmi.login().pad().enter("975310");
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.login().message())).contains("locked out");
                assertThat(hmi.session().role()).isEqualTo(Role.OPERATOR);

                hmi.onFx(() -> {
                    hmi.login().select("eve");
                    hmi.login().pad().enter("246810");
                    return null;
                });
                assertThat(hmi.session().role()).isEqualTo(Role.ENGINEER);
                assertThat(hmi.onFx(hmi::loginOpen)).isFalse();
                assertThat(hmi.onFx(() -> hmi.show("Recipes"))).isTrue();

                // tighten the hole rules' maxCount is impossible (minCount 1): tighten the exposure window instead,
                // so that every part the running recipe passes would now be rejected
                hmi.onFx(() -> {
                    hmi.recipes().set("exposure-bright", "minMean", "199");
                    return null;
                });
                // the archive writes PNGs on its own thread, behind the verdicts
                Path archive = dir.resolve("data").resolve("archive");
                int archived = -1;
                for (int i = 0; i < 300; i++) { // until the archive stops growing
                    int now = RecipePreview.lastParts(archive, "bracket", 100).size();
                    if (now == archived && now > 0) {
                        break;
                    }
                    archived = now;
                    Thread.sleep(200);
                }
                RecipePreview.Result preview = hmi.onFx(() -> hmi.recipes().preview()).get(60, TimeUnit.SECONDS);
                long passes = station.stats().snapshot().passed();
                assertThat(preview.parts()).as("%s", preview).isPositive();
                assertThat(preview.toReject()).as("passes flipped to REJECT").isPositive()
                        .isLessThanOrEqualTo((int) passes);
                assertThat(preview.toPass()).isZero();
                hmi.screenshot("Recipes", SCREENSHOTS.resolve("recipes.png"));

                var saved = hmi.onFx(() -> hmi.recipes().save());
                assertThat(saved).isNotNull();
                assertThat(saved.version()).isEqualTo(2);
                assertThat(loaded.recipeDir().resolve(".history/bracket@1.yaml")).exists();
                assertThat(station.recipe().label()).isEqualTo("bracket@2");
                assertThat(hmi.onFx(() -> hmi.recipes().compare())).contains("rules[5].minMean: 140 → 199");

                // change-over: refused while a part is in flight, done between parts
                // parts keep coming while the change-over is asked for (it writes its audit record first, which can
                // take longer than one part on a loaded machine), so one is in flight when the station checks
                java.util.concurrent.atomic.AtomicBoolean feeding = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                    for (int i = 0; feeding.get(); i++) {
                        station.trigger("p-inflight-" + i);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                String refused;
                try {
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (station.inFlight() == 0 && System.nanoTime() < until) {
                        Thread.sleep(1);
                    }
                    refused = hmi.onFx(() -> hmi.recipes().changeOver("bracket-b", false));
                } finally {
                    feeding.set(false);
                    feeder.join();
                }
                assertThat(refused).contains("refused").contains("in flight");
                assertThat(station.awaitIdle(10_000)).isTrue();
                String done = hmi.onFx(() -> hmi.recipes().changeOver("bracket-b", false));
                assertThat(done).contains("running bracket-b@1");
                assertThat(station.recipe().label()).isEqualTo("bracket-b@1");

                assertThat(hmi.onFx(() -> hmi.show("Statistics"))).isTrue();
                awaitPareto(hmi);
                hmi.screenshot("Statistics", SCREENSHOTS.resolve("statistics.png"));
                assertThat(hmi.onFx(() -> hmi.statistics().resetShift())).isTrue();
                assertThat(station.stats().snapshot().parts()).isZero();

                AuditLog audit = hmi.session().audit();
                assertThat(audit.entries()).extracting(AuditRecord::action).contains("login-failed", "locked-out",
                        "login", "recipe-save", "recipe-change", "shift-reset");
                assertThat(audit.entries()).filteredOn(e -> e.action().equals("recipe-save")).first()
                        .satisfies(e -> {
                            assertThat(e.who()).isEqualTo("eve");
                            assertThat(e.before()).isEqualTo("bracket@1");
                        });

                hmi.onFx(() -> {
                    hmi.session().logout("test");
                    return hmi.show("Production");
                });
                assertThat(hmi.onFx(() -> hmi.show("Recipes"))).as("after log-out").isFalse();
            } finally {
                hmi.close();
            }
        }
    }

    @Test
    void kiosk_fullScreenUndecorated_closeAsksForAdminPin_adminPinExits() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0");
        LoadedStation loaded = TestStations.load(dir, yaml);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            HmiApp hmi = HmiApp.open(station, () -> { }, new HmiOptions(true, Duration.ofMinutes(5), "975310"));
            try {
                hmi.session().users().put("eve", Role.ENGINEER, "246810");
                assertThat(hmi.onFx(hmi::kioskLook)).isTrue();
                hmi.onFx(() -> {
                    hmi.requestClose();
                    return null;
                });
                assertThat(hmi.onFx(hmi::windowShowing)).as("close refused without an admin").isTrue();
                assertThat(hmi.onFx(hmi::loginOpen)).isTrue();
                assertThat(hmi.onFx(() -> hmi.login().message())).contains("admin PIN");
                hmi.onFx(() -> {
                    hmi.login().select("eve");
                    hmi.login().pad().enter("246810");
                    return null;
                });
                assertThat(hmi.onFx(hmi::windowShowing)).as("an engineer cannot leave the kiosk").isTrue();
                hmi.onFx(() -> {
                    hmi.exitKiosk();
                    hmi.login().select("admin");
                    hmi.login().pad().enter("975310");
                    return null;
                });
                assertThat(hmi.onFx(hmi::windowShowing)).as("the admin PIN leaves the kiosk").isFalse();
                assertThat(station.stats()).isNotNull(); // the station runs on without its window
                assertThat(hmi.session().audit().entries()).extracting(AuditRecord::action).contains("kiosk-exit");
            } finally {
                hmi.close();
            }
        }
    }

    private static void awaitPareto(HmiApp hmi) throws InterruptedException {
        for (int i = 0; i < 250 && hmi.onFx(() -> hmi.statistics().paretoBars()) == 0; i++) {
            Thread.sleep(20);
        }
        assertThat(hmi.onFx(() -> hmi.statistics().paretoBars())).as("Pareto bars from the store").isPositive();
    }
}
