/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.alarm.AlarmWatch;
import io.linesight.station.stats.StationStats;
import io.linesight.station.store.AuditRecord;
import io.linesight.station.store.OpenAlarm;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.Peers;
import io.linesight.station.testing.TestStations;
import io.linesight.station.trigger.TimerTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HMI on a real demo station (synthetic camera, embedded broker, SQLite), in a real JavaFX window: needs an X
 * display, e.g. {@code xvfb-run -a ./mvnw verify}; skipped without one. Renders in software (prism.order=sw).
 */
@DisplayName("the HMI should show the running station as it is")
class HmiIT {
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
    void productionCountersMatchStationStats_rejectTileShowsReason_galleryOpensReject_screenshotsOfEachScreen()
            throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0");
        LoadedStation loaded = TestStations.load(dir, yaml);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            HmiApp hmi = HmiApp.open(station, () -> { });
            try {
                String rejectSeen = null;
                try (TimerTrigger trigger = new TimerTrigger(20, 60, station::trigger)) {
                    while (trigger.triggered() < 60 || station.inFlight() > 0) {
                        String[] tile = hmi.onFx(() -> new String[] {hmi.production().tile().word(),
                                hmi.production().tile().reasons()});
                        if ("REJECT".equals(tile[0]) && !tile[1].isBlank()) {
                            rejectSeen = tile[1];
                        }
                        Thread.sleep(20);
                    }
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                // on a loaded machine the tile may have moved on before it was read: then one part at a time
                int parts = 60;
                for (int i = 0; rejectSeen == null && i < 60; i++, parts++) {
                    station.trigger("one-by-one-" + i);
                    assertThat(station.awaitIdle(10_000)).isTrue();
                    for (long until = System.nanoTime() + 1_000_000_000L; System.nanoTime() < until; Thread.sleep(20)) {
                        String[] tile = hmi.onFx(() -> new String[] {hmi.production().tile().word(),
                                hmi.production().tile().reasons()});
                        if ("REJECT".equals(tile[0]) && !tile[1].isBlank()) {
                            rejectSeen = tile[1];
                            break;
                        }
                    }
                }
                assertThat(rejectSeen).as("a REJECT tile with its reason was shown").isNotNull().contains("·");

                StationStats.Snapshot s = station.stats().snapshot();
                assertThat(s.parts()).isEqualTo(parts);
                Map<String, String> shown = awaitCounters(hmi, s.parts());
                assertThat(shown).containsEntry("total", Long.toString(s.parts()))
                        .containsEntry("pass", Long.toString(s.passed()))
                        .containsEntry("reject", Long.toString(s.rejected()));
                assertThat(s.rejected()).isPositive();

                Path production = SCREENSHOTS.resolve("production.png");
                hmi.screenshot("Production", production);
                assertThat(production).isNotEmptyFile();

                hmi.screenshot("Rejects", SCREENSHOTS.resolve("rejects.png"));
                int cards = hmi.onFx(() -> hmi.rejects().cards());
                // latest wins: the viewer may skip results under load, so the gallery holds the rejects it saw
                assertThat(cards).isEqualTo(hmi.feed().state().rejects().size()).isPositive()
                        .isLessThanOrEqualTo((int) Math.min(HmiFeed.REJECTS, s.rejected()));
                hmi.onFx(() -> {
                    hmi.rejects().open(hmi.feed().state().rejects().getFirst());
                    return null;
                });
                assertThat(hmi.onFx(() -> hmi.rejects().zoomOpen())).isTrue();
                hmi.screenshot("Rejects", SCREENSHOTS.resolve("reject-zoom.png"));

                hmi.screenshot("Diagnostics", SCREENSHOTS.resolve("diagnostics.png"));
                assertThat(hmi.onFx(() -> hmi.diagnostics().value("broker link"))).isEqualTo("connected");
                assertThat(hmi.onFx(() -> hmi.diagnostics().value("camera top"))).isEqualTo("ok");
                assertThat(Files.size(production)).isPositive();
            } finally {
                hmi.close();
            }
        }
    }

    @Test
    void brokerStopped_alarmRecorded_ackStoresWhoAndAudits_dimmedUntilCleared() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml());
        MosquittoBroker broker = MosquittoBroker.start(dir);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"))) {
            HmiApp hmi = HmiApp.open(station, () -> { });
            try {
                assertThat(awaitBanner(hmi, false)).as("banner while the broker runs").isEqualTo("No alarms");
                broker.stop(); // the real broker goes away: the PLC link drops
                assertThat(awaitBanner(hmi, true)).contains("BROKER DOWN");
                OpenAlarm raised = awaitOpen(station, a -> a.code().equals(AlarmWatch.BROKER_DOWN));
                assertThat(raised.acknowledged()).isFalse();
                assertThat(awaitAckable(hmi)).as("ACK offered once the alarm is stored").isTrue();
                assertThat(hmi.onFx(() -> hmi.production().alarms().ackButton().getHeight())).isGreaterThanOrEqualTo(48);

                hmi.onFx(() -> {
                    hmi.production().alarms().ackButton().fire(); // nobody logged in: acknowledged as "operator"
                    return null;
                });

                OpenAlarm acked = awaitOpen(station, a -> a.id() == raised.id() && a.acknowledged());
                assertThat(acked.acknowledgedBy()).isEqualTo("operator");
                List<AuditRecord> trail = station.store().auditTrail(Instant.EPOCH, Instant.now().plusSeconds(1), 10);
                assertThat(trail).filteredOn(r -> r.action().equals("alarm-ack")).singleElement()
                        .satisfies(r -> {
                            assertThat(r.who()).isEqualTo("operator");
                            assertThat(r.subject()).isEqualTo("alarm " + raised.id());
                            assertThat(r.before()).contains("BROKER_DOWN");
                        });
                assertThat(awaitDimmed(hmi, true)).as("acknowledged: still shown, dimmed").isTrue();
                assertThat(hmi.onFx(() -> hmi.production().alarms().getText())).contains("BROKER DOWN", "ACK operator");
                hmi.screenshot("Production", SCREENSHOTS.resolve("alarm-acknowledged.png"));

                broker.restart(); // the condition clears: the alarm leaves the banner and is cleared in the store
                assertThat(awaitBanner(hmi, false)).isEqualTo("No alarms");
                for (int i = 0; i < 200 && !station.store().openAlarms().isEmpty(); i++) {
                    Thread.sleep(50);
                }
                assertThat(station.store().openAlarms()).isEmpty();
                assertThat(station.store().queries().alarms(Instant.EPOCH, Instant.now().plusSeconds(1)))
                        .filteredOn(a -> a.code().equals(AlarmWatch.BROKER_DOWN)).singleElement()
                        .satisfies(a -> assertThat(a.clearedMs()).isNotNull());
            } finally {
                hmi.close();
            }
        } finally {
            broker.close();
        }
    }

    /** The alarm thread stores alarms once a second; wait for the one {@code which} accepts. */
    private static OpenAlarm awaitOpen(Station station, Predicate<OpenAlarm> which) throws Exception {
        for (int i = 0; i < 300; i++) {
            for (OpenAlarm a : station.store().openAlarms()) {
                if (which.test(a)) {
                    return a;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such open alarm in the store: " + station.store().openAlarms());
    }

    private static boolean awaitAckable(HmiApp hmi) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (hmi.onFx(() -> !hmi.production().alarms().ackButton().isDisabled())) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static boolean awaitDimmed(HmiApp hmi, boolean dimmed) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (hmi.onFx(() -> hmi.production().alarms().allAcknowledged()) == dimmed) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String awaitBanner(HmiApp hmi, boolean active) throws InterruptedException {
        String text = "";
        for (int i = 0; i < 1000; i++) {
            boolean now = hmi.onFx(() -> hmi.production().alarms().active());
            text = hmi.onFx(() -> hmi.production().alarms().getText());
            if (now == active) {
                break;
            }
            Thread.sleep(20);
        }
        return text;
    }

    /** The screen refreshes at most 30 times a second; wait for it to catch up with the finished run. */
    private static Map<String, String> awaitCounters(HmiApp hmi, long parts) throws InterruptedException {
        Map<String, String> shown = Map.of();
        for (int i = 0; i < 100; i++) {
            shown = hmi.onFx(() -> {
                Map<String, String> m = new java.util.HashMap<>();
                hmi.production().counters().forEach((k, v) -> m.put(k, v.value()));
                return m;
            });
            if (Long.toString(parts).equals(shown.get("total"))) {
                break;
            }
            Thread.sleep(20);
        }
        return shown;
    }
}
