/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.publish.HmiPublisher;
import io.linesight.station.hmi.remote.RemoteStation;
import io.linesight.station.stats.StationStats;
import io.linesight.station.testing.MosquittoBroker;
import io.linesight.station.testing.Peers;
import io.linesight.station.testing.TestStations;
import io.linesight.station.trigger.TimerTrigger;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HMI as a separate process over MQTT: a headless demo station on a real Mosquitto publishes for remote HMIs;
 * one remote HMI runs in this JVM (to read its screens), another as {@code station hmi} in a JVM of its own, which
 * is killed with SIGKILL while the station keeps deciding parts. X display needed (xvfb-run -a); skipped without.
 */
class RemoteHmiIT {
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
    void remoteHmi_showsTheStationsCounters_andItsRejects_andKillingItsProcessLeavesTheStationRunning() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml());
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
             Station station = Station.start(loaded, TestStations.recipe(loaded), broker.url(), dir.resolve("data"));
             HmiPublisher publisher = HmiPublisher.start(station)) {
            String line = station.config().line();
            String name = station.config().station();
            Process other = startRemoteHmiProcess(broker.url(), line, name);
            List<String> otherOut = new ArrayList<>();
            CompletableFuture<String> otherShowsParts = readUntilPartsShown(other, otherOut);
            HmiApp hmi = HmiApp.open(RemoteStation.connect(broker.url(), line, name, null), () -> { },
                    HmiOptions.defaults(), dir.resolve("hmi-users"));
            try {
                try (TimerTrigger trigger = new TimerTrigger(20, 60, station::trigger)) {
                    trigger.awaitDone(); // after the last part went in: triggered() counts before it does
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                StationStats.Snapshot s = station.stats().snapshot();
                assertThat(s.parts()).isEqualTo(60);
                assertThat(s.rejected()).isPositive();

                Map<String, String> shown = awaitCounters(hmi, s.parts());
                assertThat(shown).containsEntry("total", Long.toString(s.parts()))
                        .containsEntry("pass", Long.toString(s.passed()))
                        .containsEntry("reject", Long.toString(s.rejected()));
                assertThat(hmi.feed().state().rejects()).as("rejected parts the remote HMI received").isNotEmpty();
                assertThat(hmi.onFx(() -> hmi.show("Rejects"))).isTrue(); // the gallery redraws while it is shown
                int cards = 0;
                for (int i = 0; i < 100 && cards == 0; i++) {
                    Thread.sleep(50);
                    cards = hmi.onFx(() -> hmi.rejects().cards());
                }
                assertThat(cards).as("rejected parts in the remote gallery").isPositive();
                String rejectedId = hmi.feed().state().rejects().getFirst().inspection().part().partId();
                assertThat(station.store().queries().findPart(rejectedId)).as("the station rejected " + rejectedId)
                        .isNotEmpty().allSatisfy(p -> assertThat(p.result()).isEqualTo("REJECT"));
                hmi.onFx(() -> {
                    hmi.rejects().open(hmi.feed().state().rejects().getFirst());
                    return null;
                });
                hmi.screenshot("Production", SCREENSHOTS.resolve("remote-production.png"));
                hmi.screenshot("Rejects", SCREENSHOTS.resolve("remote-reject-zoom.png"));

                // editing needs the recipe files: refused remotely, with the reason
                assertThat(hmi.onFx(() -> {
                    hmi.recipes().reload();
                    return hmi.recipes().status();
                })).isEqualTo(RecipesScreen.REMOTE_EDIT);

                // the separate HMI process showed parts too; killed with SIGKILL, the station does not notice
                assertThat(otherShowsParts.get(60, TimeUnit.SECONDS)).as("output of station hmi: %s", otherOut)
                        .startsWith("[hmi] shown total=");
                other.destroyForcibly(); // SIGKILL on Linux
                assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();
                try (TimerTrigger trigger = new TimerTrigger(20, 40, station::trigger)) {
                    trigger.awaitDone(); // after the last part went in: triggered() counts before it does
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                assertThat(station.stats().snapshot().parts()).isEqualTo(100);
                assertThat(publisher.published()).as("messages for remote HMIs").isPositive();
                assertThat(station.brokerConnected()).isTrue();
                assertThat(hmi.onFx(() -> hmi.show("Production"))).isTrue(); // counters redraw while it is shown
                assertThat(awaitCounters(hmi, 100)).containsEntry("total", "100");
            } finally {
                hmi.close();
                other.destroyForcibly();
            }
        }
    }

    /** {@code station hmi} in a JVM of its own, on this test's class path. */
    private Process startRemoteHmiProcess(String brokerUrl, String line, String station) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Dprism.order=sw", "-cp", System.getProperty("java.class.path"),
                "io.linesight.station.cli.StationCli", "hmi", "--broker", brokerUrl, "--line", line, "--station",
                station, "--progress", "--data-dir", dir.resolve("hmi-process").toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Completes with the first progress line that shows at least one part; keeps draining the output after. */
    private static CompletableFuture<String> readUntilPartsShown(Process p, List<String> lines) {
        CompletableFuture<String> shown = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        if (lines.size() < 200) {
                            lines.add(l);
                        }
                    }
                    if (l.startsWith("[hmi] shown total=") && !l.startsWith("[hmi] shown total=0 ")) {
                        shown.complete(l);
                    }
                }
            } catch (java.io.IOException e) {
                shown.completeExceptionally(e);
            }
            shown.completeExceptionally(new AssertionError("station hmi ended without showing parts"));
        }, "remote-hmi-output");
        t.setDaemon(true);
        t.start();
        return shown;
    }

    /** The status comes once a second: wait until the screen shows {@code parts}. */
    private static Map<String, String> awaitCounters(HmiApp hmi, long parts) throws InterruptedException {
        Map<String, String> shown = Map.of();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            shown = hmi.onFx(() -> {
                Map<String, String> m = new HashMap<>();
                hmi.production().counters().forEach((k, v) -> m.put(k, v.value()));
                return m;
            });
            if (Long.toString(parts).equals(shown.get("total"))) {
                break;
            }
            Thread.sleep(50);
        }
        return shown;
    }
}
