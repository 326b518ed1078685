/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.station.StationConfigLoader;
import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.Station;
import io.linesight.station.plc.sim.PlcSimulator;
import io.linesight.station.testing.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault test of the PLC contract: parts at a steady rate while the broker is stopped and restarted twice and the
 * station is restarted once. The PLC simulator must see every part id with a verdict and no seq gaps after
 * de-duplication. 2,000 parts by default (CI); {@code -Dlinesight.fault.parts=10000} for the full run recorded in
 * docs/BENCHMARKS.md.
 */
class PlcFaultIT {
    static final String STATION = """
            line: fault
            station: s1
            deadlineMs: 1000
            recipe: light.yaml
            cameras:
              - {id: top, driver: synthetic, width: 320, height: 256, options: {seed: "3", defectRate: "0.1"}}
            lights:
              - {id: ring, driver: simulated}
            broker: {url: embedded, keepAliveS: 2, journalSync: false}
            pipeline: {inspectionWorkers: 2, queueCapacity: 256}
            """;
    static final String RECIPE = """
            name: light
            shots:
              - {name: top, camera: top, exposureUs: 1000, light: {controller: ring, channel: 1}}
            rules:
              - {type: intensity, name: exposure, shot: top, roi: {x: 100, y: 80, width: 120, height: 96}, minMean: 100}
            """;

    @TempDir
    Path dir;

    @Test
    void brokerRestartedTwice_stationRestartedOnce_everyPartHasItsVerdict_noSeqGaps() throws Exception {
        int parts = Integer.getInteger("linesight.fault.parts", 2000);
        double rateHz = 100;
        Files.createDirectories(dir.resolve("recipes"));
        Files.writeString(dir.resolve("recipes/light.yaml"), RECIPE);
        Files.writeString(dir.resolve("station.yaml"), STATION);
        LoadedStation loaded = StationConfigLoader.load(dir.resolve("station.yaml"));
        var recipe = RecipeLoader.load(dir.resolve("recipes/light.yaml"), "light.yaml", loaded.recipeDir(), loaded.config());
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mq"), "allow_anonymous true\nset_tcp_nodelay true\n"
                + "persistence true\npersistence_location " + dir.resolve("mq") + "/\nmax_queued_messages 100000\n");
             PlcSimulator plc = new PlcSimulator(broker.url(), "fault", "s1", 0)) {
            AtomicLong next = new AtomicLong();
            long t0 = System.nanoTime();
            Station station = Station.start(loaded, recipe, broker.url(), dir.resolve("data"));
            try {
                long periodNanos = (long) (1e9 / rateHz);
                long brokerDownNanos = 0;
                long stationDownNanos = 0;
                long tick = System.nanoTime();
                while (next.get() < parts) {
                    long n = next.incrementAndGet();
                    station.trigger("F" + n);
                    int phase = (int) (n * 10 / parts);
                    if (n == parts * 2L / 10 || n == parts * 7L / 10) {
                        long down = System.nanoTime();
                        broker.stop();                                // a broker outage of ~1.5 s at full rate
                        for (int i = 0; i < rateHz * 1.5 && next.get() < parts; i++) {
                            station.trigger("F" + next.incrementAndGet());
                            Thread.sleep((long) (1000 / rateHz));
                        }
                        broker.restart();
                        brokerDownNanos += System.nanoTime() - down;
                    }
                    if (n == parts / 2L) {
                        long down = System.nanoTime();
                        station.awaitIdle(5000);
                        station.close();                              // the station restarts; the line waits for it
                        station = Station.start(loaded, recipe, broker.url(), dir.resolve("data"));
                        stationDownNanos += System.nanoTime() - down;
                    }
                    tick += periodNanos;
                    long sleep = tick - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    } else if (phase < 0) {
                        tick = System.nanoTime();
                    }
                }
                assertThat(station.awaitIdle(10_000)).isTrue();
                boolean all = plc.awaitParts(parts, 60_000);
                PlcSimulator.Report r = plc.report();
                System.out.printf("fault test: %s%n  parts=%d rate=%.0f/s broker_down_s=%.1f station_restart_s=%.1f wall_s=%.1f%n",
                        r.line(), parts, rateHz, brokerDownNanos / 1e9, stationDownNanos / 1e9, (System.nanoTime() - t0) / 1e9);
                assertThat(all).as(r.line()).isTrue();
                assertThat(plc.missing()).isEmpty();
                assertThat(r.parts()).isEqualTo(parts);
                assertThat(r.seqGaps()).as("no seq gaps after de-duplication").isZero();
                assertThat(r.outOfOrder()).isZero();
            } finally {
                station.close();
            }
        }
    }
}
