/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.camera.api.CameraException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the trigger pacer should")
class TriggerPacerTest {
    private static final long MIN = 50_000_000;
    private final FakeClock clock = new FakeClock();
    private final TriggerPacer pacer = new TriggerPacer("top", MIN, clock::now, clock);

    @Test
    void letTheFirstTriggerGoAtOnce() throws Exception {
        assertThat(pacer.awaitSlot()).isEqualTo(clock.now);
        assertThat(clock.pauses).isEmpty();
    }

    @Test
    void waitOutTheRestOfTheMinimumInterval_sinceTheLastTriggerWasSent() throws Exception {
        pacer.fired(clock.now);
        clock.now += 20_000_000;
        long slot = pacer.awaitSlot();
        assertThat(clock.pauses).containsExactly(30_000_000L);
        assertThat(slot).isEqualTo(clock.now);
    }

    @Test
    void notWait_whenTheIntervalHasAlreadyPassed_andNotMakeUpMissedSlots() throws Exception {
        pacer.fired(clock.now);
        clock.now += 5 * MIN;
        long late = clock.now;
        assertThat(pacer.awaitSlot()).isEqualTo(late);
        pacer.fired(late);
        assertThat(pacer.awaitSlot()).as("the next slot counts from the late one").isEqualTo(late + MIN);
    }

    @Test
    void keepAFreeRunOnItsGrid_whenSlotsAreRecorded() throws Exception {
        long start = clock.now;
        for (int i = 0; i < 4; i++) {
            long slot = pacer.awaitSlot();
            // a wake-up that comes late by 1 ms must not push every later tick back
            clock.now += 1_000_000;
            pacer.fired(slot);
        }
        assertThat(pacer.awaitSlot()).isEqualTo(start + 4 * MIN);
    }

    @Test
    void holdTheNextTriggerBack_forTheTimeAsked() throws Exception {
        pacer.holdFor(2 * MIN);
        long from = clock.now;
        assertThat(pacer.awaitSlot()).isEqualTo(from + 2 * MIN);
    }

    @Test
    void abortTheWait_whenTheCameraCloses() {
        pacer.fired(clock.now);
        clock.pausesUntilClosed = 0;
        assertThatThrownBy(pacer::awaitSlot).isInstanceOf(CameraException.class)
                .hasMessage("cameras[top] is closing; trigger not sent")
                .satisfies(e -> assertThat(((CameraException) e).code()).isEqualTo(CameraException.Code.NOT_CONNECTED));
    }

    @Test
    void paceNothing_withAZeroInterval() throws Exception {
        TriggerPacer none = new TriggerPacer("top", 0, clock::now, clock);
        none.fired(clock.now);
        assertThat(none.awaitSlot()).isEqualTo(clock.now);
        assertThat(clock.pauses).isEmpty();
    }

    @Test
    void letTheNextTriggerGoAtOnce_afterAReset() throws Exception {
        pacer.fired(clock.now);
        pacer.reset();
        assertThat(pacer.awaitSlot()).isEqualTo(clock.now);
    }
}
