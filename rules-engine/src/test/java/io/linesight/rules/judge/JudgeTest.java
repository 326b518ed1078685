/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.config.ConfigException;
import io.linesight.config.bind.YamlBinder;
import io.linesight.config.recipe.Recipe;
import io.linesight.inference.api.Detection;
import io.linesight.rules.Measurement;
import io.linesight.rules.RuleResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JudgeTest {

    /** A recipe as a station engineer writes it, bound by the real YAML binder. */
    static Recipe recipe(String judgeYaml) {
        String yaml = """
                name: bracket
                shots:
                  - {name: top, camera: cam1, exposureUs: 500}
                model:
                  path: m.onnx
                  confidence: 0.5
                  classConfidence: {scratch: 0.8}
                judge:
                """ + judgeYaml.indent(2);
        try {
            return YamlBinder.bind("recipe.yaml", yaml, Recipe.class).value();
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Detection det(String cls, float score, float x, float y, float w, float h) {
        return new Detection(x, y, x + w, y + h, 0, cls, score);
    }

    static List<ShotDetections> top(Detection... ds) {
        return List.of(new ShotDetections("top", List.of(ds)));
    }

    static RuleResult passed(String rule, Measurement m) {
        return new RuleResult(rule, "top", true, ReasonCode.NONE, "", List.of(m), List.of(), 0);
    }

    static RuleResult failed(String rule, ReasonCode code, String detail) {
        return new RuleResult(rule, "top", false, code, detail, List.of(), List.of(), 0);
    }

    @Test
    void noFailuresNoDetections_passesWithMargins() {
        Verdict v = new Judge(recipe("{}")).decide(
                List.of(passed("width", new Measurement("width", 10.5, "mm", 10.0, 11.0))), top());
        assertThat(v.passed()).isTrue();
        assertThat(((Verdict.Pass) v).margins()).containsOnlyKeys("width.width");
        assertThat(((Verdict.Pass) v).margins().get("width.width")).isCloseTo(1.0, within(1e-9));
        assertThat(v.primaryCode()).isEqualTo(ReasonCode.NONE);
    }

    @Test
    void failedRule_rejectsWithItsDetail() {
        Verdict v = new Judge(recipe("{}")).decide(List.of(failed("holes", ReasonCode.RULE_FAILED, "count 3 < min 4")), top());
        assertThat(v.reasons()).containsExactly(new Reason(ReasonCode.RULE_FAILED, "holes", "count 3 < min 4"));
    }

    @Test
    void detection_rejectsWithScoreAndBox() {
        Verdict v = new Judge(recipe("{}")).decide(List.of(), top(det("dent", 0.9f, 10, 20, 30, 40)));
        assertThat(v.passed()).isFalse();
        Reason r = v.reasons().getFirst();
        assertThat(r.code()).isEqualTo(ReasonCode.DEFECT_DETECTED);
        assertThat(r.source()).isEqualTo("dent");
        assertThat(r.detail()).startsWith("score 0.90 at top (10,20 30x40 px)");
    }

    @Test
    void perClassConfidence_dropsWeakDetectionsOfThatClassOnly() {
        Judge judge = new Judge(recipe("{}"));
        assertThat(judge.decide(List.of(), top(det("scratch", 0.7f, 0, 0, 10, 10))).passed()).isTrue();
        assertThat(judge.decide(List.of(), top(det("dent", 0.7f, 0, 0, 10, 10))).passed()).isFalse();
    }

    @Test
    void toleratedClass_neverRejects() {
        Judge judge = new Judge(recipe("toleratedClasses: [dust]"));
        assertThat(judge.decide(List.of(), top(det("dust", 0.99f, 0, 0, 50, 50))).passed()).isTrue();
    }

    @Test
    void minDefectArea_ignoresSmallBoxes() {
        Judge judge = new Judge(recipe("minDefectAreaPx: 100"));
        assertThat(judge.decide(List.of(), top(det("dent", 0.9f, 0, 0, 9, 9))).passed()).isTrue();
        assertThat(judge.decide(List.of(), top(det("dent", 0.9f, 0, 0, 10, 10))).passed()).isFalse();
    }

    @Test
    void minDefectAreaMm2_usesTheShotsCalibration() {
        // 0.1 mm/px: a 20x20 px box is 4 mm², a 30x30 px box 9 mm².
        Judge judge = new Judge(recipe("minDefectAreaMm2: 5"), Map.of("top", 0.1));
        assertThat(judge.decide(List.of(), top(det("dent", 0.9f, 0, 0, 20, 20))).passed()).isTrue();
        Verdict v = judge.decide(List.of(), top(det("dent", 0.9f, 0, 0, 30, 30)));
        assertThat(v.reasons().getFirst().detail()).contains("9.00 mm²");
    }

    @Test
    void maxDefects_allowsThatManyAndListsAllWhenExceeded() {
        Judge judge = new Judge(recipe("maxDefects: 2"));
        assertThat(judge.decide(List.of(), top(det("dent", 0.9f, 0, 0, 5, 5), det("dent", 0.9f, 9, 9, 5, 5))).passed()).isTrue();
        Verdict v = judge.decide(List.of(), top(det("dent", 0.9f, 0, 0, 5, 5), det("dent", 0.9f, 9, 9, 5, 5),
                det("pit", 0.9f, 20, 20, 5, 5)));
        assertThat(v.reasons()).hasSize(3).allSatisfy(r -> assertThat(r.detail()).endsWith("3 defects > max 2"));
    }

    @Test
    void reasons_areOrderedFaultsFirst() {
        Verdict v = new Judge(recipe("{}")).decide(List.of(
                failed("width", ReasonCode.RULE_FAILED, "w"),
                failed("expo", ReasonCode.IMAGE_QUALITY, "dark"),
                failed("holes", ReasonCode.RULE_ERROR, "roi")), top(det("dent", 0.9f, 0, 0, 5, 5)));
        assertThat(v.reasons()).extracting(Reason::code).containsExactly(ReasonCode.IMAGE_QUALITY, ReasonCode.RULE_ERROR,
                ReasonCode.RULE_FAILED, ReasonCode.DEFECT_DETECTED);
        assertThat(v.primaryCode()).isEqualTo(ReasonCode.IMAGE_QUALITY);
    }

    @Test
    void existingRecipesWithoutNewKeys_stillLoad() {
        Recipe r = recipe("minDefectAreaPx: 10\nmaxDefects: 1");
        assertThat(r.judge().zones()).isEmpty();
        assertThat(r.judge().decision()).isEqualTo(io.linesight.config.recipe.JudgePolicy.Decision.ANY_FAIL);
    }

    @Nested
    class Zones {
        static final String ZONES = """
                zones:
                  - {name: sealing-face, roi: {x: 0, y: 0, width: 100, height: 100}, mode: critical}
                  - {name: flash, roi: {x: 200, y: 0, width: 100, height: 100}, classes: [burr], mode: tolerated}
                toleratedClasses: [dust]
                maxDefects: 5
                """;

        @Test
        void criticalZone_rejectsEvenBelowTheCountLimitAndForToleratedClasses() {
            Verdict v = new Judge(recipe(ZONES)).decide(List.of(), top(det("dust", 0.9f, 40, 40, 4, 4)));
            assertThat(v.passed()).isFalse();
            assertThat(v.reasons().getFirst().detail()).endsWith("in critical zone sealing-face");
        }

        @Test
        void criticalZone_stillHonoursTheClassConfidence() {
            Verdict v = new Judge(recipe(ZONES)).decide(List.of(), top(det("scratch", 0.6f, 40, 40, 4, 4)));
            assertThat(v.passed()).isTrue();
        }

        @Test
        void toleratedZone_ignoresOnlyItsClasses() {
            Judge judge = new Judge(recipe(ZONES + "maxDefectsByClass: {burr: 0, dent: 0}"));
            assertThat(judge.decide(List.of(), top(det("burr", 0.9f, 240, 40, 4, 4))).passed()).isTrue();
            assertThat(judge.decide(List.of(), top(det("dent", 0.9f, 240, 40, 4, 4))).passed()).isFalse();
        }
    }

    @Nested
    class CountLimits {
        @Test
        void perClassLimit_isHeldSeparatelyFromTheTotal() {
            Judge judge = new Judge(recipe("maxDefects: 0\nmaxDefectsByClass: {pit: 2}"));
            assertThat(judge.decide(List.of(), top(det("pit", 0.9f, 0, 0, 5, 5), det("pit", 0.9f, 10, 0, 5, 5))).passed()).isTrue();
            Verdict v = judge.decide(List.of(), top(det("pit", 0.9f, 0, 0, 5, 5), det("pit", 0.9f, 10, 0, 5, 5),
                    det("pit", 0.9f, 20, 0, 5, 5)));
            assertThat(v.reasons()).hasSize(3).allSatisfy(r -> assertThat(r.detail()).endsWith("3 pit > max 2"));
        }
    }

    @Nested
    class Weighted {
        static final String POLICY = "decision: weighted\nrejectScore: 1.0\nweights: {cosmetic: 0.4, pit: 0.3}";

        @Test
        void lightFailuresBelowTheScore_pass() {
            Verdict v = new Judge(recipe(POLICY)).decide(List.of(failed("cosmetic", ReasonCode.RULE_FAILED, "x")),
                    top(det("pit", 0.9f, 0, 0, 5, 5)));
            assertThat(v.passed()).isTrue();
            assertThat(((Verdict.Pass) v).margins().get("judge.weightedScore")).isCloseTo(0.3, within(1e-9));
        }

        @Test
        void failuresAddingUpToTheScore_reject() {
            Verdict v = new Judge(recipe(POLICY)).decide(List.of(failed("cosmetic", ReasonCode.RULE_FAILED, "x")),
                    top(det("pit", 0.9f, 0, 0, 5, 5), det("pit", 0.9f, 10, 0, 5, 5)));
            assertThat(v.passed()).isFalse();
            assertThat(v.reasons()).hasSize(3).allSatisfy(r -> assertThat(r.detail()).contains("weighted score 1.00 >= 1.00"));
        }

        @Test
        void faults_rejectWhateverTheWeights() {
            Verdict v = new Judge(recipe(POLICY + "\n")).decide(List.of(failed("expo", ReasonCode.IMAGE_QUALITY, "dark")), top());
            assertThat(v.passed()).isFalse();
        }
    }
}
