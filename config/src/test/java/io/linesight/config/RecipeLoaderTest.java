/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.linesight.config.bind.YamlWriter;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.rule.BlobRuleSpec;
import io.linesight.config.station.StationConfig;
import io.linesight.config.station.StationConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeLoaderTest {
    static final String GOOD = """
            name: bracket
            version: 3
            shots:
              - name: bright
                camera: top
                exposureUs: 1000
                light: {controller: ring, channel: 1}
            rules:
              - type: blob
                name: surface
                shot: bright
                roi: {x: 10, y: 10, width: 100, height: 100}
                maxCount: 0
              - type: intensity
                name: exposure
                shot: bright
                roi: {x: 0, y: 0, width: 64, height: 64}
                minMean: 100
            """;

    static final String STATION = """
            line: l1
            station: s1
            cameras:
              - {id: top, driver: synthetic, width: 640, height: 480}
            lights:
              - {id: ring, driver: simulated}
            """;

    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    StationConfig station() throws Exception {
        return StationConfigLoader.parse(STATION, "station.yaml", dir).config();
    }

    @Test
    void goodRecipe_loadsWithDefaultsFilledIn() throws Exception {
        Recipe r = RecipeLoader.load(write("bracket.yaml", GOOD), "bracket.yaml", dir, station());
        assertThat(r.label()).isEqualTo("bracket@3");
        assertThat(r.shots().getFirst().gainDb()).isZero();
        assertThat(r.shots().getFirst().light().intensityPct()).isEqualTo(100);
        BlobRuleSpec blob = (BlobRuleSpec) r.rules().getFirst();
        assertThat(blob.threshold()).isEqualTo(BlobRuleSpec.Threshold.FIXED);
        assertThat(blob.maxCount()).isZero();
        assertThat(r.archive().rejects()).isTrue();
    }

    @Test
    void savedRecipe_readsBackEqual() throws Exception {
        Recipe r = RecipeLoader.load(write("bracket.yaml", GOOD), "bracket.yaml", dir, station());
        Recipe again = RecipeLoader.load(write("copy.yaml", YamlWriter.write(r)), "copy.yaml", dir, station());
        assertThat(again).isEqualTo(r);
    }

    @Nested
    @DisplayName("a recipe should run only a model that ./station eval has judged")
    class ModelEvaluation {
        static final String WITH_MODEL = GOOD + "model:\n  path: models/m.onnx\n";

        Path model() throws IOException {
            Files.createDirectories(dir.resolve("models"));
            return Files.write(dir.resolve("models/m.onnx"), new byte[] {1, 2, 3, 4});
        }

        void record(Path model, String sha) throws IOException {
            Files.writeString(EvaluationRecord.fileFor(model), """
                    {"sha256": "%s", "evaluatedAt": "2026-11-22T05:00:00Z", "dataset": "val", "images": 1000,
                     "map50": 0.904, "escapeRate": 0.0, "overkillRate": 0.002, "perClass": []}
                    """.formatted(sha));
        }

        @Test
        void modelWithItsEvaluationRecord_loads() throws Exception {
            Path m = model();
            record(m, EvaluationRecord.sha256(m));
            Recipe r = RecipeLoader.load(write("r.yaml", WITH_MODEL), "r.yaml", dir, station());
            assertThat(r.model()).isNotNull();
            EvaluationRecord rec = EvaluationRecord.read(EvaluationRecord.fileFor(m));
            assertThat(rec.images()).isEqualTo(1000);
            assertThat(rec.map50()).isEqualTo(0.904);
        }

        @Test
        void modelWithoutEvaluationRecord_isRefusedNamingTheWayOut() throws Exception {
            model();
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("r.yaml", WITH_MODEL), "recipes/r.yaml", dir, station()));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.toString()).startsWith("recipes/r.yaml:20 model.path: models/m.onnx has no evaluation record (m.onnx.eval.json)");
                assertThat(err.reason()).contains("./station eval --model models/m.onnx").contains("model.allowUnevaluated: true");
            });
        }

        @Test
        void modelChangedSinceItsEvaluation_isRefused() throws Exception {
            Path m = model();
            record(m, EvaluationRecord.sha256(m));
            Files.write(m, new byte[] {1, 2, 3, 5}); // retrained or swapped after eval
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("r.yaml", WITH_MODEL), "r.yaml", dir, station()));
            assertThat(e.errors()).singleElement().extracting(ConfigError::reason).asString()
                    .startsWith("changed since it was evaluated: m.onnx.eval.json is for sha256 ");
        }

        @Test
        void forcedUnevaluatedModel_loads() throws Exception {
            model();
            Recipe r = RecipeLoader.load(write("r.yaml", WITH_MODEL + "  allowUnevaluated: true\n"), "r.yaml", dir, station());
            assertThat(r.model().allowUnevaluated()).isTrue();
        }

        @Test
        void unreadableEvaluationRecord_isRefused() throws Exception {
            Path m = model();
            Files.writeString(EvaluationRecord.fileFor(m), "[1, 2");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("r.yaml", WITH_MODEL), "r.yaml", dir, station()));
            assertThat(e.errors()).singleElement().extracting(ConfigError::reason).asString()
                    .startsWith("evaluation record unreadable: ");
        }
    }

    @Nested
    @DisplayName("a recipe's GPU section should reach the model and refuse what cannot work")
    class GpuSection {
        static final String WITH_GPU = GOOD + """
                model:
                  path: models/m.onnx
                  allowUnevaluated: true
                  provider: cuda
                  gpu:
                    deviceId: 1
                    cpuFallback: false
                    cudnnConvAlgoSearch: heuristic
                    memoryLimitMiB: 2048
                """;

        @BeforeEach
        void model() throws IOException {
            Files.createDirectories(dir.resolve("models"));
            Files.write(dir.resolve("models/m.onnx"), new byte[] {1, 2, 3, 4});
        }

        @Test
        void gpuOptions_loadWithDefaultsForTheRest() throws Exception {
            Recipe r = RecipeLoader.load(write("r.yaml", WITH_GPU), "r.yaml", dir, station());
            ModelSpec.GpuSpec gpu = r.model().gpuOrDefaults();
            assertThat(gpu.deviceId()).isEqualTo(1);
            assertThat(gpu.cpuFallback()).isFalse();
            assertThat(gpu.cudnnConvAlgoSearch()).isEqualTo("heuristic");
            assertThat(gpu.memoryLimitMiB()).isEqualTo(2048);
            assertThat(gpu.arenaExtend()).isEqualTo("next-power-of-two");
            assertThat(gpu.tensorrtCacheDir()).isNull();
        }

        @Test
        void withoutGpuSection_theDefaultsAllowCpuFallback() throws Exception {
            Recipe r = RecipeLoader.load(write("r.yaml", GOOD + "model:\n  path: models/m.onnx\n  allowUnevaluated: true\n"),
                    "r.yaml", dir, station());
            assertThat(r.model().gpu()).isNull();
            assertThat(r.model().gpuOrDefaults()).isEqualTo(ModelSpec.GpuSpec.DEFAULTS);
            assertThat(r.model().gpuOrDefaults().cpuFallback()).isTrue();
        }

        @Test
        void unknownAlgorithmSearch_isRefusedWithLineAndChoices() throws Exception {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> RecipeLoader.load(
                    write("r.yaml", WITH_GPU.replace("cudnnConvAlgoSearch: heuristic", "cudnnConvAlgoSearch: fastest")),
                    "r.yaml", dir, station()));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.path()).startsWith("model.gpu");
                assertThat(err.line()).isPositive();
                assertThat(err.reason()).contains("'fastest'").contains("exhaustive, heuristic, default");
            });
        }

        @Test
        void demandingAGpuWithProviderCpu_isRefused() throws Exception {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> RecipeLoader.load(
                    write("r.yaml", WITH_GPU.replace("provider: cuda", "provider: cpu")), "r.yaml", dir, station()));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.path()).startsWith("model");
                assertThat(err.reason()).contains("gpu.cpuFallback: false demands a GPU, but provider is cpu");
            });
        }
    }

    @Nested
    @DisplayName("a recipe with mistakes should be refused with every mistake named")
    class Mistakes {
        @Test
        void threeMistakes_allReportedWithFileLineAndPath() throws Exception {
            String bad = GOOD.replace("exposureUs: 1000", "exposureUs: 0")
                    .replace("maxCount: 0", "maxCuont: 0")
                    .replace("channel: 1}", "channel: 1, intensityPct: 150}");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", bad), "recipes/bad.yaml", dir, station()));
            assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                    "recipes/bad.yaml:6 shots[0].exposureUs: 0 must be 10..1000000",
                    "recipes/bad.yaml:7 shots[0].light.intensityPct: 150 must be 0..100",
                    "recipes/bad.yaml:13 rules[0].maxCuont: is not a known key (did you mean 'maxCount'?)");
        }

        @Test
        void twoShotsOnOneCamera_areRefusedForAHardwareTriggeredStation_withTheReason() throws Exception {
            String twoShots = GOOD.replace("rules:\n", "  - name: dark\n    camera: top\n    exposureUs: 200\nrules:\n");
            StationConfig hardware = StationConfigLoader.parse(STATION + "trigger: {source: hardware}\n", "station.yaml", dir)
                    .config();
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("two.yaml", twoShots), "recipes/two.yaml", dir, hardware));
            assertThat(e.errors()).extracting(ConfigError::toString).singleElement().asString()
                    .startsWith("recipes/two.yaml:9 shots[1].camera: top is already used by shot bright: with trigger.source "
                            + "hardware one line edge fires each camera once per part");
            assertThat(RecipeLoader.load(write("two.yaml", twoShots), "recipes/two.yaml", dir, station()).shots())
                    .as("software triggers take both shots").hasSize(2);
        }

        @Test
        void crossReferenceMistakes_reportedTogetherAfterBinding() throws Exception {
            String bad = GOOD.replace("camera: top", "camera: side")
                    .replace("controller: ring", "controller: dome")
                    .replace("shot: bright\n    roi: {x: 0", "shot: dark\n    roi: {x: 0");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", bad), "recipes/bad.yaml", dir, station()));
            assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                    "recipes/bad.yaml:5 shots[0].camera: side is not a camera of station s1 (cameras: top)",
                    "recipes/bad.yaml:7 shots[0].light.controller: dome is not a light controller of station s1 (controllers: ring)",
                    "recipes/bad.yaml:16 rules[1].shot: dark is not a shot of this recipe (shots: bright)");
        }

        @Test
        void judgeZoneOnAShotTheRecipeDoesNotHave_isRefused() throws Exception {
            // A zone on a shot no detection comes from never applies: defects in this critical zone would only count
            // against maxDefects, and two of them would pass.
            String bad = GOOD + """
                    judge:
                      maxDefects: 2
                      zones:
                        - {name: label, roi: {x: 500, y: 0, width: 100, height: 100}, mode: tolerated}
                        - {name: sealing-face, shot: brigth, roi: {x: 0, y: 0, width: 400, height: 300}, mode: critical}
                    """;
            assertThatThrownBy(() -> RecipeLoader.load(write("bad.yaml", bad), "recipes/bad.yaml", dir, null))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                            .extracting(ConfigError::toString).containsExactly("recipes/bad.yaml:23 judge.zones[1].shot: "
                                    + "brigth is not a shot of this recipe (shots: bright)"));
        }

        @Test
        void twoJudgeZonesOfOneName_orAZoneWhollyOutsideTheFrame_areRefused() throws Exception {
            // the second zone lies right of the 640x480 frame: a critical zone there would reject nothing
            String bad = GOOD + """
                    judge:
                      zones:
                        - {name: label, roi: {x: 500, y: 0, width: 100, height: 100}, mode: tolerated}
                        - {name: label, shot: bright, roi: {x: 640, y: 0, width: 400, height: 300}, mode: critical}
                        - {name: edge, roi: {x: 600, y: 400, width: 400, height: 300}, mode: critical}
                    """;
            assertThatThrownBy(() -> RecipeLoader.load(write("bad.yaml", bad), "recipes/bad.yaml", dir, station()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                            .extracting(ConfigError::toString).containsExactly(
                                    "recipes/bad.yaml:22 judge.zones[1].name: label is used by another zone",
                                    "recipes/bad.yaml:22 judge.zones[1].roi: 640,0 400x300 lies wholly outside the frame"
                                            + " of 640x480 (camera top): no detection can be in it"));
        }

        @Test
        void aLowerLimitAboveItsUpperLimit_isRefusedNamingBoth_insteadOfRejectingEveryPart() throws Exception {
            String bad = GOOD.replace("minMean: 100", "minMean: 180\n    maxMean: 80") + """
                      - {type: intensity, name: glare, shot: bright, roi: {x: 0, y: 0, width: 64, height: 64},
                         percentiles: [{p: 99, min: 250, max: 200}]}
                      - {type: caliper, name: width, shot: bright, roi: {x: 0, y: 100, width: 200, height: 1},
                         minWidth: 12.5, maxWidth: 11.5}
                      - {type: circle, name: hole, shot: bright, roi: {x: 200, y: 200, width: 80, height: 80},
                         minDiameter: 30, maxDiameter: 20}
                    """;
            assertThatThrownBy(() -> RecipeLoader.load(write("bad.yaml", bad), "recipes/bad.yaml", dir, null))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                            .extracting(ConfigError::toString).containsExactlyInAnyOrder(
                                    "recipes/bad.yaml:14 rules[1]: minMean (180.0) must not exceed maxMean (80.0)",
                                    "recipes/bad.yaml:21 rules[2].percentiles[0]: min (250.0) must not exceed max (200.0)",
                                    "recipes/bad.yaml:22 rules[3]: minWidth (12.5) must not exceed maxWidth (11.5)",
                                    "recipes/bad.yaml:24 rules[4]: minDiameter (30.0) must not exceed maxDiameter (20.0)"));
        }

        @Test
        void aNegativeAreaOrGreyLimit_isRefusedNamingTheField() throws Exception {
            // a maximum below zero can never be met: every part would fail the rule
            String bad = GOOD.replace("maxCount: 0", "maxCount: 0\n    maxTotalArea: -5").replace("minMean: 100", "maxMean: -1");
            assertThatThrownBy(() -> RecipeLoader.load(write("bad.yaml", bad), "recipes/bad.yaml", dir, null))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                            .extracting(ConfigError::toString).containsExactlyInAnyOrder(
                                    "recipes/bad.yaml:14 rules[0].maxTotalArea: -5 must be 0..1000000000000",
                                    "recipes/bad.yaml:19 rules[1].maxMean: -1 must be 0..65535"));
        }

        @Test
        void anExposureNoFrameCouldOutlast_isRefusedNamingTheTimeoutItMeets() throws Exception {
            // the station's deadline is 500 ms, camera top's frame timeout 1000 ms (the defaults)
            String slow = GOOD.replace("exposureUs: 1000", "exposureUs: 600000");
            assertThatThrownBy(() -> RecipeLoader.load(write("slow.yaml", slow), "slow.yaml", dir, station()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                            .containsExactly("slow.yaml:6 shots[0].exposureUs: 600000.0 is not shorter than the station's "
                                    + "500 ms deadline (deadlineMs): every part would time out"));
            String slower = GOOD.replace("exposureUs: 1000", "exposureUs: 1000000");
            assertThatThrownBy(() -> RecipeLoader.load(write("slower.yaml", slower), "slower.yaml", dir, station()))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                            .containsExactly("slower.yaml:6 shots[0].exposureUs: 1000000.0 is not shorter than the 1000 ms "
                                    + "frame timeout of camera top (cameras[].frameTimeoutMs): no frame could arrive in time"));
        }

        @Test
        void roiOutsideTheCameraFrame_isRefused() throws Exception {
            String bad = GOOD.replace("{x: 10, y: 10, width: 100, height: 100}", "{x: 600, y: 10, width: 100, height: 100}");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", bad), "bad.yaml", dir, station()));
            assertThat(e.errors()).singleElement().extracting(ConfigError::path).isEqualTo("rules[0].roi");
            assertThat(e.errors().getFirst().reason()).contains("640x480 frame of camera top");
        }

        @Test
        void modelPathLeavingTheRecipeStore_isRefused() throws Exception {
            String bad = GOOD + "model:\n  path: ../../etc/passwd\n";
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", bad), "bad.yaml", dir, null));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.path()).isEqualTo("model.path");
                assertThat(err.line()).isEqualTo(20);
                assertThat(err.reason()).startsWith("must be a path inside the recipe store");
            });
        }

        @Test
        void unknownRuleType_listsTheKnownTypes() throws Exception {
            String bad = GOOD.replace("type: blob", "type: blobb");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", bad), "bad.yaml", dir, null));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.path()).isEqualTo("rules[0].type");
                assertThat(err.reason()).contains("blob").contains("intensity");
            });
        }

        @Test
        void brokenYaml_namesTheLine() throws Exception {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", "name: x\nshots: [\n  {name: a\n"), "bad.yaml", dir, null));
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.reason()).startsWith("is not valid YAML");
                assertThat(err.line()).isGreaterThan(1);
            });
        }

        @Test
        void missingRequiredFieldAndWrongType_bothReported() throws Exception {
            String bad = GOOD.replace("    exposureUs: 1000\n", "").replace("version: 3", "version: three");
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> RecipeLoader.load(write("bad.yaml", bad), "bad.yaml", dir, null));
            assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                    "bad.yaml:2 version: three must be a whole number",
                    "bad.yaml:4 shots[0].exposureUs: is required");
            assertThat(e.errors()).noneMatch(err -> err.path().equals("shots"));
        }
    }

    @Test
    void aLineFiredOrFreeRunningCamera_withoutTheHardwareTriggerSource_isRefused() throws Exception {
        // with the station's own trigger, such frames would be paired with parts by arrival: one late frame shifts
        // every later verdict onto the neighbour's image
        String timer = STATION.replace("driver: synthetic,", "driver: synthetic, triggerMode: hardware,")
                + "  - {id: side, driver: synthetic, triggerMode: free-run}\n";
        String fixed = timer.replace("lights:\n  - {id: ring, driver: simulated}\n  - {id: side, driver: synthetic, "
                + "triggerMode: free-run}\n", "  - {id: side, driver: synthetic, triggerMode: free-run}\nlights:\n"
                + "  - {id: ring, driver: simulated}\n") + "trigger: {source: mqtt}\n";
        assertThatThrownBy(() -> StationConfigLoader.parse(fixed, "station.yaml", dir))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                        .containsExactly("station.yaml:4 cameras[0].triggerMode: hardware needs trigger.source: hardware"
                                        + " (with trigger.source mqtt the station triggers each camera itself: use "
                                        + "triggerMode: software)",
                                "station.yaml:5 cameras[1].triggerMode: free-run needs trigger.source: hardware (with "
                                        + "trigger.source mqtt the station triggers each camera itself: use triggerMode: "
                                        + "software)"));
        assertThat(StationConfigLoader.parse(fixed.replace("source: mqtt", "source: hardware"), "station.yaml", dir)
                .config().cameras()).hasSize(2);
    }

    @Test
    void stationWithDuplicateCameraIds_isRefused() {
        String bad = STATION + "  - {id: top, driver: synthetic}\n";
        String fixed = bad.replace("lights:\n  - {id: ring, driver: simulated}\n  - {id: top, driver: synthetic}\n",
                "  - {id: top, driver: synthetic}\nlights:\n  - {id: ring, driver: simulated}\n");
        assertThatThrownBy(() -> StationConfigLoader.parse(fixed, "station.yaml", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("station.yaml:5 cameras[1].id: top is used by another camera");
    }
}
