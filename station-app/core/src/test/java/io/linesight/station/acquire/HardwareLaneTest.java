/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.lighting.sim.GardasoftSimProtocol.ChannelState;
import io.linesight.lighting.sim.GardasoftSimProtocol.Mode;
import io.linesight.lighting.sim.GardasoftSimServer;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.inspect.ActiveRecipe;
import io.linesight.station.result.Inspection;
import io.linesight.station.verdict.VerdictGate;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hardware lane on its own: announced parts, a line-triggered camera that is never fired, a verdict gate. */
class HardwareLaneTest {
    static final long DEADLINE_MS = 400;
    static final String LINE_RECIPE = """
            name: line
            shots:
              - {name: top, camera: top, exposureUs: 1000}
            rules:
              - {type: intensity, name: exposure, shot: top, roi: {x: 10, y: 10, width: 20, height: 20}, minMean: 20}
            """;

    @TempDir
    Path dir;

    /** A verdict as the PLC link would take it. */
    record Sent(Inspection inspection) {
    }

    /** A station numbering its parts from a free-running camera's frames (20 a second). */
    private static String countingStation(String recipe, String lights) {
        return """
                line: hw
                station: s1
                deadlineMs: 1000
                recipe: %s
                trigger: {source: hardware, partIds: counter}
                cameras:
                  - {id: top, driver: synthetic, width: 64, height: 64, triggerMode: free-run,
                     options: {seed: "5", defectRate: "0", fps: "20"}}
                broker: {url: embedded, embeddedPort: 0}
                """.formatted(recipe) + lights;
    }

    /** A gate whose PLC link stand-in collects what it publishes. */
    private static VerdictGate gate(ScheduledExecutorService watchdog, BlockingQueue<Sent> sent) {
        return new VerdictGate(watchdog, new VerdictGate.DecisionSink() {
            @Override
            public Inspection publish(Inspection inspection) {
                sent.add(new Sent(inspection));
                return inspection;
            }

            @Override
            public void recorded(Inspection numbered, @Nullable Object evidence) {
            }

            @Override
            public void late(Inspection lateInspection) {
            }
        }, 25);
    }

    @Test
    void aPartAnnouncedWithAFiringTimeAheadOfTheStationsClock_getsItsVerdictWithinItsDeadline() throws Exception {
        int port;
        try (DatagramSocket free = new DatagramSocket(0)) {
            port = free.getLocalPort(); // the camera's line input; nothing fires it
        }
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/line.yaml"), LINE_RECIPE);
        Files.writeString(dir.resolve("station.yaml"), """
                line: hw
                station: s1
                deadlineMs: %d
                recipe: line.yaml
                trigger: {source: hardware, partIds: plc}
                cameras:
                  - {id: top, driver: synthetic, width: 64, height: 64, triggerMode: hardware, frameTimeoutMs: 200,
                     options: {seed: "5", defectRate: "0", line: "udp:%d"}}
                broker: {url: embedded, embeddedPort: 0}
                """.formatted(DEADLINE_MS, port));
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        Recipe recipe = RecipeLoader.load(dir.resolve("recipes/line.yaml"), "line.yaml", loaded.recipeDir(), loaded.config());
        BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        VerdictGate gate = gate(watchdog, sent);
        try (Devices devices = Devices.open(loaded.config());
             ActiveRecipe active = ActiveRecipe.load(recipe, loaded.recipeDir(), 1);
             HardwareLane lane = new HardwareLane(devices, () -> active, (part, r) -> gate.open(part, "line@1", ""),
                     (job, part) -> {
                         part.close();
                         job.ticket().reject(ReasonCode.STATION_ERROR, "test", "no frame was expected");
                         job.recipe().release();
                     }, DEADLINE_MS, () -> false, loaded.config().trigger(), () -> true)) {
            // the PLC's clock is an hour ahead of the station's (its local time sent as UTC, say)
            assertThat(lane.announce("P-1", Instant.now().plus(Duration.ofHours(1)))).isNull();

            // the watchdog's TIMEOUT at the deadline counted from the announcement; a bound of seconds, not of the
            // deadline itself, so that a busy machine cannot fail it while an hour's delay still does
            Sent v = sent.poll(5, TimeUnit.SECONDS);
            assertThat(v).as("a verdict, not one an hour from now").isNotNull();
            assertThat(v.inspection().verdict().passed()).isFalse();
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void withCountedIds_noPartIsNumberedWhileTheStationTakesNoParts_andEachTicketNamesTheRecipeItIsInspectedWith()
            throws Exception {
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/line.yaml"), LINE_RECIPE);
        Files.writeString(dir.resolve("station.yaml"), countingStation("line.yaml", ""));
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        Recipe recipe = RecipeLoader.load(dir.resolve("recipes/line.yaml"), "line.yaml", loaded.recipeDir(), loaded.config());
        java.util.concurrent.atomic.AtomicBoolean accepting = new java.util.concurrent.atomic.AtomicBoolean(false);
        java.util.List<String> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
        VerdictGate gate = gate(watchdog, new LinkedBlockingQueue<>());
        try (Devices devices = Devices.open(loaded.config());
             ActiveRecipe active = ActiveRecipe.load(recipe, loaded.recipeDir(), 1);
             HardwareLane lane = new HardwareLane(devices, () -> active, (part, r) -> {
                 opened.add(part.partId() + (r == active ? " with the lane's recipe" : " with another recipe"));
                 return gate.open(part, r.recipe().label(), r.modelLabel());
             }, (job, part) -> {
                 part.close();
                 job.ticket().reject(ReasonCode.STATION_ERROR, "test", "not inspected here");
                 job.recipe().release();
             }, 1000, () -> false, loaded.config().trigger(), accepting::get)) {
            // 20 frames a second while the station takes no parts (its verdict journal at its bound)
            for (int i = 0; i < 100 && lane.refusedParts() < 5; i++) {
                Thread.sleep(20);
            }
            assertThat(lane.refusedParts()).as("frames that would have been parts").isGreaterThanOrEqualTo(5);
            assertThat(opened).as("parts numbered while not accepting").isEmpty();

            accepting.set(true);
            for (int i = 0; i < 100 && opened.size() < 3; i++) {
                Thread.sleep(20);
            }
            assertThat(opened).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(o -> assertThat(o).endsWith(" with the lane's recipe"));
            assertThat(opened.getFirst()).startsWith("H000001 ");
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void theRecipesLightSettingReachesItsController_beforeAnyPartIsJudged() throws Exception {
        // the line fires camera and strobe: no per-part step applies the light, so the lane must, once per recipe
        GardasoftSimServer controller = GardasoftSimServer.start();
        try {
            Files.createDirectories(dir.resolve("recipes"));
            Files.writeString(dir.resolve("recipes/lit.yaml"), """
                    name: lit
                    shots:
                      - {name: top, camera: top, exposureUs: 1000,
                         light: {controller: ring, channel: 1, intensityPct: 80, pulseUs: 200, delayUs: 10}}
                    rules:
                      - {type: intensity, name: exposure, shot: top, roi: {x: 10, y: 10, width: 20, height: 20}, minMean: 20}
                    """);
            Files.writeString(dir.resolve("station.yaml"), countingStation("lit.yaml",
                    "lights:\n  - {id: ring, driver: gardasoft, address: \"" + controller.address() + "\", timeoutMs: 300}\n"));
            LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
            Recipe recipe = RecipeLoader.load(dir.resolve("recipes/lit.yaml"), "lit.yaml", loaded.recipeDir(), loaded.config());
            java.util.Map<String, ChannelState> heldWhenJudged = new java.util.concurrent.ConcurrentHashMap<>();
            ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
            BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
            VerdictGate gate = gate(watchdog, sent);
            try (Devices devices = Devices.open(loaded.config());
                 ActiveRecipe active = ActiveRecipe.load(recipe, loaded.recipeDir(), 1);
                 HardwareLane lane = new HardwareLane(devices, () -> active,
                         (part, r) -> gate.open(part, r.recipe().label(), r.modelLabel()), (job, part) -> {
                             heldWhenJudged.put(part.part().partId(), controller.channel(1));
                             part.close();
                             job.ticket().reject(ReasonCode.STATION_ERROR, "test", "not inspected here");
                             job.recipe().release();
                         }, 1000, () -> false, loaded.config().trigger(), () -> true)) {
                for (int i = 0; i < 150 && heldWhenJudged.size() < 3; i++) {
                    Thread.sleep(20);
                }
                assertThat(heldWhenJudged).as("parts handed on to inspection").hasSizeGreaterThanOrEqualTo(3);
                assertThat(lane.missingFrames()).isZero();
                assertThat(heldWhenJudged.values()).as("what the controller held when each part went to inspection")
                        .containsOnly(new ChannelState(Mode.PULSE, 80, 0.2, 0.01));
            } finally {
                watchdog.shutdownNow();
            }
        } finally {
            controller.close();
        }
    }
}
