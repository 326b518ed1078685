/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import io.linesight.lighting.sim.GardasoftSimServer;
import io.linesight.rules.judge.Reason;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.Station;
import io.linesight.station.alarm.AlarmWatch;
import io.linesight.station.result.Inspection;
import io.linesight.station.stats.StationStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A light controller killed mid-run and brought back: the station drives a real {@link GardasoftSimServer} over TCP
 * with the {@code gardasoft} driver. Once the keep-alive has seen the controller die, every part is rejected with
 * {@code LIGHT_FAULT} naming the controller (without being imaged) and the station shows a device alarm; after the
 * controller is started again on the same port, the driver re-sends the recipe's setting before any part asks for it,
 * the alarm clears and parts pass again. Every triggered part has exactly one verdict.
 */
class LightOutageIT {
    static final String RECIPE = """
            name: lit
            shots:
              - {name: top, camera: top, exposureUs: 1000,
                 light: {controller: ring, channel: 1, intensityPct: 75, pulseUs: 120, delayUs: 10}}
            rules:
              - {type: intensity, name: exposure, shot: top, roi: {x: 0, y: 0, width: 320, height: 256}, minMean: 0}
            """;

    @TempDir
    Path dir;

    @Test
    void controllerKilledMidRun_partsLightFaultWithAlarm_thenRestarted_settingsResent_partsPassAgain() throws Exception {
        GardasoftSimServer controller = GardasoftSimServer.start();
        int port = controller.port();
        try {
            Files.createDirectories(dir.resolve("recipes"));
            Files.writeString(dir.resolve("recipes/lit.yaml"), RECIPE);
            Files.writeString(dir.resolve("station.yaml"), """
                    line: light
                    station: s1
                    deadlineMs: 2000
                    recipe: lit.yaml
                    cameras:
                      - {id: top, driver: synthetic, width: 320, height: 256, options: {seed: "5", defectRate: "0"}}
                    lights:
                      - {id: ring, driver: gardasoft, address: "%s", timeoutMs: 300,
                         options: {pollMs: "200", reconnectMinMs: "100", reconnectMaxMs: "400"}}
                    broker: {url: embedded, embeddedPort: 0}
                    """.formatted(controller.address()));
            LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
            var recipe = RecipeLoader.load(dir.resolve("recipes/lit.yaml"), "lit.yaml", loaded.recipeDir(), loaded.config());
            ChannelState recipeLight = new ChannelState(Mode.PULSE, 75, 0.12, 0.01);
            int triggered = 0;
            try (Station station = Station.start(loaded, recipe, null, dir.resolve("data"))) {
                AtomicReference<Inspection> latest = new AtomicReference<>();
                station.results().addListener((inspection, images) -> latest.set(inspection));

                for (int i = 0; i < 5; i++, triggered++) {
                    station.trigger("before-" + i);
                    Thread.sleep(100);
                }
                assertThat(station.awaitIdle(5000)).isTrue();
                assertThat(station.stats().snapshot().passed()).as("lit parts before the outage").isEqualTo(5);
                assertThat(controller.channel(1)).isEqualTo(recipeLight);

                controller.close();                                         // the controller loses power
                assertThat(await(() -> lightHealth(station).startsWith("FAULT"))).as("fault noticed").isTrue();
                String health = lightHealth(station);
                assertThat(health).contains("light controller 'ring'").contains(controller.address()).contains("in fault since");
                assertThat(station.problems()).anySatisfy(a -> assertThat(a).startsWith("light ring: FAULT"));
                List<AlarmWatch.Condition> alarms = new AlarmWatch().conditions(true, station.devices().health(), 0, System.nanoTime());
                assertThat(alarms).anySatisfy(c -> {
                    assertThat(c.code()).isEqualTo(AlarmWatch.DEVICE_FAULT);
                    assertThat(c.source()).isEqualTo("light ring");
                    assertThat(c.text()).contains("'ring'");
                });

                for (int i = 0; i < 8; i++, triggered++) {
                    station.trigger("outage-" + i);
                    Thread.sleep(100);
                }
                assertThat(station.awaitIdle(5000)).isTrue();
                StationStats.Snapshot during = station.stats().snapshot();
                assertThat(during.rejectsByReason().getOrDefault(ReasonCode.LIGHT_FAULT, 0L)).as("parts while the light is dead")
                        .isEqualTo(8);
                assertThat(await(() -> latest.get() != null && latest.get().part().partId().equals("outage-7"))).isTrue();
                Reason reason = latest.get().verdict().reasons().getFirst();
                assertThat(reason.code()).isEqualTo(ReasonCode.LIGHT_FAULT);
                assertThat(reason.source()).isEqualTo("ring");
                assertThat(reason.detail()).contains("light controller 'ring'").contains("in fault since");
                long timeoutsDuring = during.rejectsByReason().getOrDefault(ReasonCode.TIMEOUT, 0L);

                controller = GardasoftSimServer.startOn(port, 8);           // power is back: the controller holds nothing
                GardasoftSimServer restarted = controller;
                assertThat(await(() -> lightHealth(station).equals("ok"))).as("controller back").isTrue();
                assertThat(restarted.channel(1)).as("the recipe's setting re-sent before any part").isEqualTo(recipeLight);
                assertThat(station.problems()).noneSatisfy(a -> assertThat(a).startsWith("light ring"));

                long passedBefore = station.stats().snapshot().passed();
                for (int i = 0; i < 5; i++, triggered++) {
                    station.trigger("after-" + i);
                    Thread.sleep(100);
                }
                assertThat(station.awaitIdle(5000)).isTrue();
                StationStats.Snapshot s = station.stats().snapshot();
                System.out.printf("light outage: triggered=%d %s reasons=%s%n", triggered, s.summaryLine(), s.rejectsByReason());
                assertThat(s.passed() - passedBefore).as("parts imaged and passed again").isEqualTo(5);
                assertThat(s.parts()).as("one verdict per triggered part").isEqualTo(triggered);
                assertThat(timeoutsDuring).as("outage parts told the true reason, not TIMEOUT").isZero();
                assertThat(restarted.settingCommandCount()).as("the setting was sent once, on reconnect").isEqualTo(1);
            }
        } finally {
            controller.close();
        }
    }

    private static String lightHealth(Station station) {
        return station.devices().health().get("light ring");
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
