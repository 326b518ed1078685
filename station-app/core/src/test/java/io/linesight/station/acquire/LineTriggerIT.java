/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.Station;
import com.fasterxml.jackson.databind.JsonNode;
import io.linesight.station.testing.VerdictSubscriber;
import java.util.List;
import io.linesight.station.plc.EmbeddedBroker;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardware triggers with part ids from the PLC: the test fires the synthetic camera's line (UDP edges that also tell
 * the simulator which part is really there) and announces each part like a PLC, with the time it fired. The camera
 * misses every 10th trigger, some announcements are repeated or have no part behind them, and one edge has no
 * announcement. Every announced part must get exactly one verdict judged on its own images.
 */
class LineTriggerIT {
    @TempDir
    Path dir;

    @Test
    void lostTriggersAndSpuriousMessages_rejectOnlyTheAffectedParts_andNoVerdictJudgesAnotherPartsImage() throws Exception {
        int port = EmbeddedBroker.freePort();
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/line.yaml"), """
                name: line
                shots:
                  - {name: top, camera: top, exposureUs: 1000}
                rules:
                  - {type: intensity, name: exposure, shot: top, roi: {x: 100, y: 80, width: 120, height: 96}, minMean: 20}
                """);
        Files.writeString(dir.resolve("station.yaml"), """
                line: hw
                station: s1
                deadlineMs: 800
                recipe: line.yaml
                trigger: {source: hardware, partIds: plc, matchToleranceMs: 15}
                cameras:
                  - {id: top, driver: synthetic, width: 320, height: 256, triggerMode: hardware, frameTimeoutMs: 300,
                     options: {seed: "5", defectRate: "0", line: "udp:%d", dropEvery: "10"}}
                broker: {url: embedded, embeddedPort: 0}
                """.formatted(port));
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        var recipe = RecipeLoader.load(dir.resolve("recipes/line.yaml"), "line.yaml", loaded.recipeDir(), loaded.config());
        Map<String, JsonNode> verdicts = new java.util.HashMap<>();
        Map<String, Integer> count = new java.util.HashMap<>();
        int parts = 60;
        java.util.Set<String> missed = new java.util.HashSet<>(); // parts whose edge the camera misses (every 10th edge)
        int edges = 0;
        int strayFramesSeen = 0;
        List<JsonNode> received;
        try (Station station = Station.start(loaded, recipe, null, dir.resolve("data"));
             VerdictSubscriber plc = new VerdictSubscriber(station.brokerUrl(), "linesight/hw/s1");
             DatagramSocket line = new DatagramSocket()) {
            for (int n = 1; n <= parts; n++) {
                String id = "L" + n;
                Instant firedAt = Instant.now();
                long micros = firedAt.getEpochSecond() * 1_000_000L + firedAt.getNano() / 1000;
                byte[] b = (id + "@" + micros).getBytes(StandardCharsets.UTF_8); // the part under the camera, and when
                line.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port)); // the line edge
                if (++edges % 10 == 0) {
                    missed.add(id);
                }
                assertThat(station.trigger(id, firedAt)).isNull();                                    // the PLC's message
                if (n % 17 == 0) {
                    assertThat(station.trigger(id, firedAt)).as("a repeated announcement").contains("duplicate part id");
                }
                Thread.sleep(30);
                if (n % 23 == 0) {
                    station.trigger("ghost-" + n, Instant.now()); // announced, but nothing passed the camera
                }
                if (n % 29 == 0) {
                    line.send(new DatagramPacket(new byte[0], 0, InetAddress.getLoopbackAddress(), port)); // a stray edge
                    if (++edges % 10 != 0) {
                        strayFramesSeen++;
                    }
                }
                Thread.sleep(40);
            }
            assertThat(station.awaitIdle(10_000)).isTrue();
            long[] matching = station.hardwareMatching();
            assertThat(matching[0]).as("frames with no announced part").isEqualTo(strayFramesSeen);
            assertThat(matching[1]).as("announced parts without a frame").isEqualTo(missed.size() + parts / 23);
            assertThat(station.refusedTriggers()).as("repeated announcements refused").isEqualTo(parts / 17);
            received = plc.await(parts + parts / 23, 10_000);
        }
        for (JsonNode v : received) {
            verdicts.put(v.path("partId").asText(), v);
            count.merge(v.path("partId").asText(), 1, Integer::sum);
        }
        for (int n = 1; n <= parts; n++) {
            String id = "L" + n;
            JsonNode v = verdicts.get(id);
            assertThat(v).as("verdict for " + id).isNotNull();
            assertThat(count.get(id)).as("one verdict for " + id).isEqualTo(1);
            if (missed.contains(id)) {
                // the camera missed this trigger: this part is rejected, and only this one
                assertThat(v.path("reasons").path(0).asText()).as(id).isEqualTo(ReasonCode.IMAGE_MISSING.name());
            } else {
                assertThat(v.path("imagedPart").asText()).as("the images judged for " + id + ": " + v).isEqualTo(id);
                assertThat(v.path("result").asText()).as(id + " " + v).isEqualTo("PASS");
            }
        }
        verdicts.forEach((id, v) -> {
            if (id.startsWith("ghost-")) {
                assertThat(v.path("reasons").path(0).asText()).isEqualTo(ReasonCode.IMAGE_MISSING.name());
            }
        });
        assertThat(verdicts.keySet().stream().filter(k -> k.startsWith("ghost-"))).hasSize(parts / 23);
    }
}
