/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.testing.TestStations;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station's own sign of life, which the installed service's systemd watchdog reads from the progress line: a
 * running demo station is alive and moving; when a pipeline thread ends, it says which.
 */
class PipelineLivenessIT {
    @TempDir
    Path dir;

    @Test
    void aRunningStationIsAliveAndMoving_andAnEndedInspectionWorkerIsNamed() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0");
        LoadedStation loaded = TestStations.load(dir, yaml);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            for (int i = 0; i < 10; i++) {
                station.trigger("live-" + i);
            }
            assertThat(station.awaitIdle(10_000)).isTrue();
            assertThat(station.stalled()).as("a healthy station").isNull();

            // an inspection worker's loop ends when its thread is interrupted: the pipeline has lost a worker
            Thread worker = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("inspect-0"))
                    .findFirst().orElseThrow();
            worker.interrupt();
            worker.join(5000);
            assertThat(station.stalled()).isEqualTo("inspect-0 has ended");
        }
    }

    @Test
    void aViewerThatThrowsAnError_doesNotEndTheDispatch_theNextPartStillReachesEveryViewer() throws Exception {
        String yaml = TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0");
        LoadedStation loaded = TestStations.load(dir, yaml);
        try (Station station = Station.start(loaded, TestStations.recipe(loaded), null, dir.resolve("data"))) {
            AtomicBoolean thrown = new AtomicBoolean();
            List<String> seen = new CopyOnWriteArrayList<>();
            station.results().addListener((inspection, images) -> {
                if (thrown.compareAndSet(false, true)) {
                    throw new AssertionError("a viewer's bug"); // an Error, not an exception
                }
                seen.add(inspection.part().partId());
            });
            station.trigger("first");
            assertThat(station.awaitIdle(10_000)).isTrue();
            for (int i = 0; i < 100 && !thrown.get(); i++) {
                Thread.sleep(20);
            }
            assertThat(thrown).as("the viewer was called and threw").isTrue();
            station.trigger("second");
            assertThat(station.awaitIdle(10_000)).isTrue();
            for (int i = 0; i < 250 && !seen.contains("second"); i++) {
                Thread.sleep(20);
            }
            assertThat(seen).as("parts the viewer saw after its error").contains("second");
            assertThat(station.stalled()).isNull();
        }
    }
}
