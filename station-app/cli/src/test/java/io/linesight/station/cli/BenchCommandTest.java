/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.station.testing.TestStations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code station bench} on the demo station (synthetic camera, the demo model, embedded broker on a free port), with
 * a handful of parts a step: the JSON's structure and whether its figures agree with each other, not the timings.
 */
@DisplayName("station bench should")
class BenchCommandTest {
    private static final List<String> STAGES = List.of("acquire", "rules", "model", "anomaly", "judge", "publish", "store", "archive");

    @TempDir
    Path dir;

    /** The command's exit code and what it printed (also echoed to the test's output). */
    record Run(int code, String printed) {
    }

    private static Run bench(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            return new Run(new CommandLine(new StationCli()).execute(args), printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
            System.out.print(printed.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void tinyRun_writesJsonWhoseCountsAddUp_andWhoseRatiosFollowFromItsFigures() throws Exception {
        TestStations.load(dir.resolve("cfg"), TestStations.demoStationYaml().replace("embeddedPort: 1883", "embeddedPort: 0"));
        Path json = dir.resolve("bench.json");
        int code = bench("bench", "--config", dir.resolve("cfg/station.yaml").toString(), "--parts-per-step", "12",
                "--max-time", "60", "--start-rate", "8", "--model-time", "0.3", "--min-step-time", "0", "--data-dir", dir.resolve("data").toString(),
                "--json", json.toString()).code();
        assertThat(code).isZero();
        JsonNode r = new ObjectMapper().readTree(json.toFile());

        JsonNode model = r.get("bareModel");
        assertThat(model.get("model").asText()).isEqualTo("bracket-defects.onnx");
        assertThat(model.get("detectsPerS1").asDouble()).isPositive();
        assertThat(model.get("shotsPerPart").asInt()).isEqualTo(1); // the demo model runs on the bright shot only
        assertThat(model.get("partsPerS").asDouble())
                .isCloseTo(model.get("detectsPerSWorkers").asDouble() / model.get("shotsPerPart").asInt(), within(1e-9));

        List<JsonNode> steps = new ArrayList<>();
        r.get("steps").forEach(steps::add);
        assertThat(steps).extracting(s -> s.get("phase").asText()).startsWith("warm-up", "search")
                .endsWith("1.5x capacity", "2x capacity", "reference (0.5x)");
        double highestCleanSearch = 0;
        for (JsonNode s : steps) {
            String at = s.get("phase").asText() + " at " + s.get("offeredHz").asDouble();
            long decided = s.get("decided").asLong();
            assertThat(s.get("refused").asLong()).as(at + ": every trigger got a ticket (distinct part ids)").isZero();
            assertThat(decided).as(at).isLessThanOrEqualTo(s.get("triggered").asLong() - s.get("refused").asLong());
            assertThat(s.get("passed").asLong() + s.get("rejected").asLong()).as(at).isEqualTo(decided);
            assertThat(s.get("inspected").asLong()).as(at).isLessThanOrEqualTo(decided);
            assertThat(s.get("timeouts").asLong() + s.get("overload").asLong() + s.get("queueFull").asLong()
                    + s.get("otherRejects").asLong()).as(at).isEqualTo(s.get("rejected").asLong());
            assertThat(s.get("goodputHz").asDouble()).as(at).isLessThanOrEqualTo(s.get("offeredHz").asDouble() + 1e-9)
                    .isCloseTo(s.get("offeredHz").asDouble() * s.get("inspected").asLong() / s.get("triggered").asLong(),
                            within(0.001));
            assertThat(s.get("p50Ms").asDouble()).as(at).isLessThanOrEqualTo(s.get("p99Ms").asDouble());
            if (s.get("clean").asBoolean()) {
                assertThat(decided).as(at).isEqualTo(s.get("triggered").asLong());
                assertThat(s.get("timeouts").asLong() + s.get("queueFull").asLong()).as(at).isZero();
                assertThat(s.get("overload").asLong()).as(at + ": at most 1 % shed").isLessThanOrEqualTo(
                        (long) (0.01 * s.get("triggered").asLong()));
                if (s.get("phase").asText().equals("search")) {
                    highestCleanSearch = Math.max(highestCleanSearch, s.get("offeredHz").asDouble());
                }
            }
            if (s.get("overload").asLong() == 0) {
                assertThat(s.get("shedMaxMs").asDouble()).as(at).isZero();
            }
            assertThat(s.get("shedP99Ms").asDouble()).as(at).isLessThanOrEqualTo(s.get("shedMaxMs").asDouble() + 0.001);
            assertThat(s.get("shedAfterTrigger").asLong()).as(at + ": the safety net's sheds are among the OVERLOADs")
                    .isBetween(0L, s.get("overload").asLong());
        }
        double capacity = r.get("capacityHz").asDouble();
        assertThat(capacity).as("the highest clean rate of the search").isPositive().isEqualTo(highestCleanSearch);
        assertThat(r.get("overload").get(0).get("offeredHz").asDouble()).isCloseTo(1.5 * capacity, within(0.001));
        assertThat(r.get("overload").get(1).get("offeredHz").asDouble()).isCloseTo(2 * capacity, within(0.001));
        JsonNode reference = r.get("reference");
        assertThat(reference.get("offeredHz").asDouble()).isCloseTo(capacity / 2, within(0.001));

        JsonNode stages = r.get("stages");
        assertThat(stages.fieldNames()).toIterable().containsExactlyElementsOf(STAGES);
        for (String stage : List.of("acquire", "rules", "model", "judge", "publish")) {
            assertThat(stages.get(stage).get("runs").asLong()).as(stage).isPositive();
            assertThat(stages.get(stage).get("cpuMsPerPart").asDouble()).as(stage).isLessThanOrEqualTo(
                    stages.get(stage).get("wallMsPerPart").asDouble() + 0.01); // a thread's CPU time fits in its wall time
        }
        assertThat(stages.get("publish").get("runs").asLong()).as("one publish per verdict of the reference step")
                .isEqualTo(reference.get("decided").asLong());
        double sum = 0;
        for (String stage : STAGES) {
            sum += stages.get(stage).get("cpuMsPerPart").asDouble();
        }
        assertThat(r.get("stageSumMsPerPart").asDouble()).isCloseTo(sum, within(0.002));
        int cores = r.get("machine").get("cores").asInt();
        assertThat(r.get("stageSumBoundHz").asDouble()).isCloseTo(cores * 1000.0 / sum, within(0.01 * cores * 1000.0 / sum));

        JsonNode latency = r.get("plcLatency");
        assertThat(latency.get("samples").asLong()).as("every verdict of the reference step reached the subscriber")
                .isEqualTo(reference.get("decided").asLong());
        assertThat(latency.get("p50Ms").asDouble()).isPositive().isLessThanOrEqualTo(latency.get("p99Ms").asDouble());
        assertThat(latency.get("p99Ms").asDouble()).isLessThanOrEqualTo(latency.get("maxMs").asDouble());

        JsonNode ratios = r.get("ratios");
        assertThat(ratios.get("capacityOverBareModel").asDouble()).isCloseTo(capacity / model.get("partsPerS").asDouble(),
                within(1e-6));
        assertThat(ratios.get("capacityOverStageSum").asDouble()).isCloseTo(capacity / r.get("stageSumBoundHz").asDouble(),
                within(1e-6));
        assertThat(ratios.get("goodputAt2xOverCapacity").asDouble())
                .isCloseTo(r.get("overload").get(1).get("goodputHz").asDouble() / capacity, within(1e-6));
        assertThat(ratios.get("shedMaxOverDeadline").asDouble()).isCloseTo(Math.max(r.get("overload").get(0).get("shedMaxMs")
                .asDouble(), r.get("overload").get(1).get("shedMaxMs").asDouble()) / r.get("settings").get("deadlineMs")
                .asDouble(), within(1e-6));
    }

    @Test
    void tooFewPartsPerStep_isRefusedWithOneLine_beforeAnythingStarts() throws Exception {
        Path json = dir.resolve("bench.json");
        Run run = bench("bench", "--parts-per-step", "3", "--json", json.toString(), "--data-dir",
                dir.resolve("data").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.printed().strip()).isEqualTo("error: --parts-per-step 3 must be at least 10");
        assertThat(json).doesNotExist();
        assertThat(dir.resolve("data")).doesNotExist();
    }
}
