/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.rule.TemplateRuleSpec;
import io.linesight.rules.Parts;
import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import io.linesight.rules.TestFrames;
import io.linesight.rules.cv.OpenCv;
import io.linesight.rules.judge.ReasonCode;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

class TemplateRuleClosingTest {
    static final Roi PATTERN = new Roi(190, 160, 260, 160);

    @Test
    void close_releasesEveryRotatedTemplate_andASecondCloseIsSafe() {
        OpenCv.ensureLoaded();
        Mat template = Parts.render(0, 0, 0).submat(new Rect(PATTERN.x(), PATTERN.y(), PATTERN.width(), PATTERN.height()))
                .clone();
        TemplateRule rule = new TemplateRule(TemplateRuleSpec.of("locate", "top", new Roi(100, 80, 440, 320),
                "t.png", PATTERN, true).withAngles(6, 1), template);
        assertThat(rule.nativeImages()).hasSizeGreaterThan(13).noneMatch(Mat::empty);
        rule.close();
        assertThat(rule.nativeImages()).allMatch(Mat::empty);
        rule.close();
        assertThat(template.empty()).as("the taught image stays the caller's").isFalse();
        try (Frame f = TestFrames.mono8(Parts.render(0, 0, 0))) {
            Located located = rule.locate(f, RuleContext.NONE);
            RuleResult r = located.result();
            assertThat(r.pass()).isFalse();
            assertThat(r.code()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(located.context()).isNull();
        }
        template.release();
    }
}
