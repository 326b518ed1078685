/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.TriggerTag;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the trigger matcher should")
class TriggerMatcherTest {
    private static final long TIMEOUT = 1_000;
    private final TriggerMatcher matcher = new TriggerMatcher("top", TIMEOUT, 2);

    @Test
    void tagFramesWithTheirTriggers_inOrder() throws Exception {
        matcher.sent(new TriggerTag("P1", "a"), 100);
        matcher.sent(new TriggerTag("P1", "b"), 200);
        assertThat(matcher.match(300)).isEqualTo(new TriggerTag("P1", "a"));
        assertThat(matcher.match(400)).isEqualTo(new TriggerTag("P1", "b"));
        assertThat(matcher.match(500)).as("a frame nobody triggered").isNull();
    }

    @Test
    void giveUpATriggerOlderThanTheFrameTimeout_soTheNextFrameGetsTheRightTag() throws Exception {
        matcher.sent(new TriggerTag("P1", "a"), 100);
        matcher.sent(new TriggerTag("P2", "a"), 1_500);
        assertThat(matcher.match(1_600)).isEqualTo(new TriggerTag("P2", "a"));
        assertThat(matcher.lostTriggers()).isEqualTo(1);
    }

    @Test
    void refuseATrigger_whenTooManyWaitForFrames() throws Exception {
        matcher.sent(new TriggerTag("P1", "a"), 100);
        matcher.sent(new TriggerTag("P2", "a"), 200);
        assertThatThrownBy(() -> matcher.sent(new TriggerTag("P3", "a"), 300))
                .isInstanceOf(CameraException.class)
                .hasMessageContaining("cameras[top]").hasMessageContaining("2 triggers without a frame")
                .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.DEVICE_ERROR));
    }

    @Test
    void forgetAWithdrawnTrigger() throws Exception {
        TriggerMatcher.Pending p = matcher.sent(new TriggerTag("P1", "a"), 100);
        matcher.withdraw(p);
        assertThat(matcher.match(200)).isNull();
        assertThat(matcher.lostTriggers()).isZero();
    }

    @Test
    void sayATriggerIsWaiting_onlyForFramesThatArriveAfterIt() throws Exception {
        assertThat(matcher.waiting(100)).isFalse();
        matcher.sent(new TriggerTag("P1", "a"), 100);
        assertThat(matcher.waiting(50)).as("a frame older than the trigger").isFalse();
        assertThat(matcher.waiting(150)).isTrue();
        matcher.clear();
        assertThat(matcher.waiting(150)).isFalse();
    }
}
