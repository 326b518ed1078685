/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.rules.Measurement;
import io.linesight.rules.RuleResult;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The judge should reject a shot whose anomaly score is above its threshold, naming score and region")
class JudgeAnomalyTest {
    static ShotAnomaly anomaly(double score, double threshold) {
        return new ShotAnomaly("top", score, threshold, new ShotAnomaly.Box(120, 80, 40, 32),
                new ShotAnomaly.Box(0, 0, 640, 480), 2, 1, new float[] {0.1f, (float) score});
    }

    @Test
    void scoreAboveThreshold_rejectsWithAnomalyScoreAndRegion() {
        Verdict v = new Judge(JudgeTest.recipe("{}")).decide(List.of(), List.of(), List.of(anomaly(0.72, 0.5)));
        assertThat(v.passed()).isFalse();
        assertThat(v.primaryCode()).isEqualTo(ReasonCode.ANOMALY);
        assertThat(v.reasons()).singleElement().hasToString("ANOMALY(top: score 0.720 > 0.500 at top (120,80 40x32 px))");
    }

    @Test
    void scoreAtOrBelowThreshold_passesWithItsMargin() {
        Verdict v = new Judge(JudgeTest.recipe("{}")).decide(List.of(), List.of(), List.of(anomaly(0.4, 0.5)));
        assertThat(v.passed()).isTrue();
        assertThat(((Verdict.Pass) v).margins().get("anomaly.top")).isCloseTo(0.2, within(1e-9));
        assertThat(new Judge(JudgeTest.recipe("{}")).decide(List.of(), List.of(), List.of(anomaly(0.5, 0.5))).passed()).isTrue();
    }

    @Test
    void scoreThatIsNoNumber_rejectsInsteadOfPassing() {
        // NaN compares false with every threshold: "not above" must not turn into a good part
        for (ShotAnomaly a : List.of(anomaly(Double.NaN, 0.5), anomaly(0.2, Double.NaN))) {
            Verdict v = new Judge(JudgeTest.recipe("{}")).decide(List.of(), List.of(), List.of(a));
            assertThat(v.passed()).as("score %s, threshold %s", a.score(), a.threshold()).isFalse();
            assertThat(v.primaryCode()).isEqualTo(ReasonCode.ANOMALY);
        }
    }

    @Test
    void anomalyInWeightedMode_rejectsWhateverTheScoreLimit() {
        Verdict v = new Judge(JudgeTest.recipe("decision: weighted\nrejectScore: 5")).decide(List.of(), List.of(),
                List.of(anomaly(0.9, 0.5)));
        assertThat(v.primaryCode()).isEqualTo(ReasonCode.ANOMALY);
    }

    @Test
    void imageFaultOutranksTheAnomaly() {
        RuleResult dark = new RuleResult("exposure", "top", false, ReasonCode.IMAGE_QUALITY, "too dark",
                List.of(new Measurement("mean", 12, "", 100.0, null)), List.of(), 0);
        Verdict v = new Judge(JudgeTest.recipe("{}")).decide(List.of(dark), List.of(), List.of(anomaly(0.9, 0.5)));
        assertThat(v.reasons()).extracting(Reason::code).containsExactly(ReasonCode.IMAGE_QUALITY, ReasonCode.ANOMALY);
    }
}
