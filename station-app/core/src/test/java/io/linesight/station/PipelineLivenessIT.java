/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.testing.TestStations;
import java.nio.file.Path;
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
}
