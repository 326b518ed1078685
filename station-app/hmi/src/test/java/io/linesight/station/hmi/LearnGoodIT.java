/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.auth.Role;
import io.linesight.station.hmi.recipe.LearnGood;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.testing.TestStations;
import io.linesight.station.trigger.TimerTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engineer presses "Learn good" on the Recipes screen of a real JavaFX HMI (X display needed, {@code xvfb-run -a}):
 * the station's own archived good parts become an anomaly model, evaluated, and the next recipe version has it.
 */
@DisplayName("the Recipes screen's learn good should save a new version with an evaluated anomaly model")
class LearnGoodIT {
    @BeforeAll
    static void needsDisplay() {
        HmiIT.needsDisplay();
    }

    @TempDir
    Path dir;

    @Test
    void engineerLearnsGoodFromTheArchive_nextVersionRunsTheEvaluatedModel_audited() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0")
                .replace("deadlineMs: 500", "deadlineMs: 8000").replace("defectRate: \"0.15\"", "defectRate: \"0.3\"");
        LoadedStation loaded = TestStations.load(dir, yaml);
        Path recipeFile = loaded.recipeDir().resolve("bracket.yaml");
        Files.writeString(recipeFile, Files.readString(recipeFile).replace("okEveryN: 50", "okEveryN: 1"));
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            HmiApp hmi = HmiApp.open(station, () -> { }, new HmiOptions(false, Duration.ofMinutes(5), "975310"));
            try {
                hmi.session().users().put("eve", Role.ENGINEER, "246810");
                try (TimerTrigger trigger = new TimerTrigger(10, 60, station::trigger)) {
                    trigger.awaitDone();
                }
                assertThat(station.awaitIdle(30_000)).isTrue();
                Thread.sleep(2000); // the archive writes behind the verdicts
                hmi.onFx(() -> {
                    hmi.show("Recipes");
                    hmi.login().select("eve");
                    hmi.login().pad().enter("246810");
                    return null;
                });
                LearnGood.Result r = hmi.onFx(() -> hmi.recipes().learnGood()).get(5, TimeUnit.MINUTES);

                assertThat(r.saved()).as(r.text()).isNotNull();
                assertThat(r.saved().label()).isEqualTo("bracket@2");
                assertThat(r.saved().shot("bright").anomaly()).isNotNull();
                assertThat(Files.isRegularFile(loaded.recipeDir().resolve(r.saved().shot("bright").anomaly().model()
                        + ".eval.json"))).isTrue();
                Thread.sleep(500); // the status line is set on the FX thread after the future completes
                assertThat(hmi.onFx(() -> hmi.recipes().status())).startsWith("saved bracket@2: ");
                assertThat(hmi.session().audit().entries()).extracting(AuditRecord::action)
                        .containsSubsequence("anomaly-learn", "recipe-save");
            } finally {
                hmi.close();
            }
        }
    }
}
