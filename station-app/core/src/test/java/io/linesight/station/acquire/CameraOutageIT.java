/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.camera.api.CameraProviders;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.station.Station;
import io.linesight.station.stats.StationStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GigE camera that dies mid-run (a real {@code arv-fake-gv-camera-0.8} process, SIGKILLed) and comes back: parts
 * during the outage are rejected with CAMERA_FAULT, the run resumes after the camera returns, and every triggered
 * part has exactly one verdict.
 */
class CameraOutageIT {
    static final String PROGRAM = "/usr/bin/arv-fake-gv-camera-0.8";

    @TempDir
    Path dir;

    @Test
    void cameraKilledMidRun_partsMeanwhileCameraFault_runResumes_everyPartOneVerdict() throws Exception {
        if (System.getenv("CI") == null) {
            assumeThat(Files.isExecutable(Path.of(PROGRAM))).as("aravis-tools not installed (.ci/install-aravis.sh)").isTrue();
        }
        CameraProvider genicam = CameraProviders.byId("genicam");
        String serial = "LS" + (System.nanoTime() % 100000);
        Process camera = startCamera(serial, genicam);
        try {
            Files.createDirectories(dir.resolve("recipes"));
            Files.writeString(dir.resolve("recipes/r.yaml"), """
                    name: r
                    shots:
                      - {name: a, camera: gv, exposureUs: 1000}
                      - {name: b, camera: gv, exposureUs: 2000}
                    rules:
                      - {type: intensity, name: exposure, shot: a, roi: {x: 0, y: 0, width: 320, height: 240}, minMean: 0}
                    """);
            Files.writeString(dir.resolve("station.yaml"), """
                    line: cam
                    station: s1
                    deadlineMs: 2500
                    recipe: r.yaml
                    cameras:
                      - {id: gv, driver: genicam, device: "%s", width: 320, height: 240, frameTimeoutMs: 1000,
                         options: {reconnectMaxBackoffMs: "1000", minTriggerIntervalMs: "200"}}
                    broker: {url: embedded, embeddedPort: 0}
                    """.formatted(serial));
            LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
            var recipe = RecipeLoader.load(dir.resolve("recipes/r.yaml"), "r.yaml", loaded.recipeDir(), loaded.config());
            int triggered = 0;
            long faultsBefore;
            try (Station station = Station.start(loaded, recipe, null, dir.resolve("data"))) {
                for (; triggered < 10; triggered++) {
                    station.trigger("before-" + triggered);
                    Thread.sleep(400);
                }
                assertThat(station.awaitIdle(5000)).isTrue();
                faultsBefore = station.stats().snapshot().rejectsByReason().getOrDefault(ReasonCode.CAMERA_FAULT, 0L);
                long passedBefore = station.stats().snapshot().passed();
                camera.destroyForcibly().waitFor(5, TimeUnit.SECONDS);      // the cable is pulled
                for (int i = 0; i < 10; i++, triggered++) {
                    station.trigger("outage-" + i);
                    Thread.sleep(400);
                }
                camera = startCamera(serial, genicam);                       // and plugged back in
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                long passedAfter = 0;
                int n = 0;
                while (System.nanoTime() < until && passedAfter < 5) {
                    station.trigger("after-" + n++);
                    triggered++;
                    Thread.sleep(400);
                    station.awaitIdle(3000);
                    passedAfter = station.stats().snapshot().passed() - passedBefore;
                }
                assertThat(station.awaitIdle(5000)).isTrue();
                StationStats.Snapshot s = station.stats().snapshot();
                System.out.printf("camera outage: triggered=%d %s faults=%s%n", triggered, s.summaryLine(), s.rejectsByReason());
                assertThat(s.parts()).as("one verdict per triggered part").isEqualTo(triggered);
                assertThat(faultsBefore).isZero();
                assertThat(s.rejectsByReason().getOrDefault(ReasonCode.CAMERA_FAULT, 0L)).as("parts during the outage")
                        .isGreaterThanOrEqualTo(5);
                assertThat(passedAfter).as("parts inspected again after the camera returned").isGreaterThanOrEqualTo(5);
            }
        } finally {
            camera.destroyForcibly();
        }
    }

    /** Starts the fake GigE camera on loopback and waits until discovery sees it. */
    static Process startCamera(String serial, CameraProvider genicam) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Process p = new ProcessBuilder(PROGRAM, "-i", "127.0.0.1", "-s", serial).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < seen && p.isAlive()) {
                for (CameraInfo c : genicam.discover()) {
                    if (c.serial().equals(serial) || c.id().contains(serial)) {
                        return p;
                    }
                }
                Thread.sleep(200);
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            if (System.nanoTime() > until) {
                throw new AssertionError("arv-fake-gv-camera-0.8 did not come up on 127.0.0.1");
            }
            Thread.sleep(500);
        }
    }
}
