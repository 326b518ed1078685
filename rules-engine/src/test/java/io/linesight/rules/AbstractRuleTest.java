/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.IntensityRuleSpec;
import io.linesight.rules.judge.ReasonCode;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the rule base should")
class AbstractRuleTest {

    /** A rule that answers with the base's helpers: its ROI placed, then the failures it was given. */
    private static final class Probe extends AbstractRule<IntensityRuleSpec> {
        int releases;
        List<String> failures = List.of();

        Probe(Roi roi) {
            super(new IntensityRuleSpec("probe", "top", roi, null, null, null, null, null, false));
        }

        @Override
        public RuleResult evaluate(Frame frame, RuleContext ctx) {
            long t0 = System.nanoTime();
            if (isClosed()) {
                return closedError(t0);
            }
            if (placeRoi(frame, ctx) == null) {
                return roiOutside(frame, t0);
            }
            return judged(failures, List.of(), List.of(), t0);
        }

        @Override
        protected void release() {
            releases++;
        }
    }

    private static Frame frame() {
        FramePool pool = new FramePool(1, 64 * 48);
        return pool.publish(Objects.requireNonNull(pool.acquire(0)),
                new Frame.Builder().cameraId("top").frameId(1).format(PixelFormat.MONO8, 64, 48));
    }

    @Test
    void takeNameAndShotFromTheSpec() {
        Probe p = new Probe(new Roi(0, 0, 10, 10));
        assertThat(p.name()).isEqualTo("probe");
        assertThat(p.shot()).isEqualTo("top");
        assertThat(p.spec().roi()).isEqualTo(new Roi(0, 0, 10, 10));
    }

    @Test
    void passWithoutFailures_andFailWithThemJoinedAsTheDetail() {
        Probe p = new Probe(new Roi(0, 0, 10, 10));
        try (Frame f = frame()) {
            RuleResult ok = p.evaluate(f, RuleContext.NONE);
            assertThat(ok.pass()).isTrue();
            assertThat(ok.code()).isEqualTo(ReasonCode.NONE);
            p.failures = List.of("mean 12.0 < min 40.0", "max 250.0 > max 200.0");
            RuleResult bad = p.evaluate(f, RuleContext.NONE);
            assertThat(bad.pass()).isFalse();
            assertThat(bad.code()).isEqualTo(ReasonCode.RULE_FAILED);
            assertThat(bad.detail()).isEqualTo("mean 12.0 < min 40.0; max 250.0 > max 200.0");
            assertThat(bad.rule()).isEqualTo("probe");
            assertThat(bad.shot()).isEqualTo("top");
        }
    }

    @Test
    void answerARuleError_forAnRoiTheFixtureMovedOutOfTheFrame() {
        Probe p = new Probe(new Roi(0, 0, 10, 10));
        try (Frame f = frame()) {
            RuleResult r = p.evaluate(f, new RuleContext(-100, -100, 0, 0));
            assertThat(r.pass()).isFalse();
            assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(r.detail()).isEqualTo("ROI lies outside the 64x48 frame");
        }
    }

    @Test
    void releaseOnce_andAnswerARuleErrorAfterClose() {
        Probe p = new Probe(new Roi(0, 0, 10, 10));
        p.close();
        p.close();
        assertThat(p.releases).isEqualTo(1);
        try (Frame f = frame()) {
            RuleResult r = p.evaluate(f, RuleContext.NONE);
            assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(r.detail()).contains("rule closed");
        }
    }

    @Test
    void describeEachMeasurementOutsideItsLimits_withValueLimitAndUnit() {
        List<String> failures = AbstractRule.outOfLimits(List.of(
                new Measurement("width", 4.8125, "mm", 4.7, 4.8),
                new Measurement("position", -0.5, "mm", -0.2, 0.2),
                new Measurement("edge1X", 12, "px", null, null)), "mm");
        assertThat(failures).containsExactly("width 4.813 > max 4.800 mm", "position -0.500 < min -0.200 mm");
    }
}
