/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.PixelFormat;
import org.junit.jupiter.api.Test;

class FramePoolTest {
    final FramePool pool = new FramePool(2, 64 * 48 * 2);

    Frame frame(long id) {
        FramePool.Slot slot = pool.acquire(0);
        assertThat(slot).isNotNull();
        slot.buffer().put(0, (byte) id);
        return pool.publish(slot, new Frame.Builder().cameraId("c").frameId(id).format(PixelFormat.MONO8, 64, 48)
                .tag(new TriggerTag("P1", "bright")));
    }

    @Test
    void lastClose_returnsTheBufferToThePool() {
        Frame f = frame(1);
        assertThat(pool.available()).isEqualTo(1);
        f.retain();
        f.close();
        assertThat(pool.available()).as("still held once").isEqualTo(1);
        f.close();
        assertThat(pool.available()).isEqualTo(2);
        assertThat(f.isReleased()).isTrue();
    }

    @Test
    void exhaustedPool_givesNoSlotAndCountsTheMiss() {
        Frame a = frame(1);
        Frame b = frame(2);
        assertThat(pool.acquire(0)).isNull();
        assertThat(pool.exhausted()).isEqualTo(1);
        a.close();
        assertThat(pool.acquire(0)).isNotNull();
        b.close();
    }

    @Test
    void releasedFrame_refusesPixelAccessAndRetain() {
        Frame f = frame(1);
        f.close();
        assertThatThrownBy(f::pixels).isInstanceOf(IllegalStateException.class).hasMessageContaining("already released");
        assertThatThrownBy(f::retain).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(f::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed more often");
    }

    @Test
    void pixelsView_isReadOnlyAndSizedToTheImage() {
        try (Frame f = frame(7)) {
            assertThat(f.pixels().isReadOnly()).isTrue();
            assertThat(f.pixels().remaining()).isEqualTo(64 * 48);
            assertThat(f.pixels().get(0)).isEqualTo((byte) 7);
            assertThat(f.shotName()).isEqualTo("bright");
        }
    }

    @Test
    void frameLargerThanTheBuffer_isRefusedAndTheSlotReturned() {
        FramePool.Slot slot = pool.acquire(0);
        assertThatThrownBy(() -> pool.publish(slot, new Frame.Builder().format(PixelFormat.MONO16, 640, 480)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.available()).isEqualTo(2);
    }

    @Test
    void incompleteReason_travelsWithTheFrame_andAReusedBuilderForgetsIt() {
        Frame.Builder builder = new Frame.Builder().cameraId("c").format(PixelFormat.MONO8, 64, 48);
        Frame incomplete = pool.publish(pool.acquire(0), builder.frameId(1).incomplete("image is 64x40, configured 64x48"));
        Frame next = pool.publish(pool.acquire(0), builder.frameId(2).complete(false));

        assertThat(incomplete.complete()).isFalse();
        assertThat(incomplete.incompleteReason()).isEqualTo("image is 64x40, configured 64x48");
        assertThat(next.complete()).isFalse();
        assertThat(next.incompleteReason()).as("no reason given for this one").isNull();
        incomplete.close();
        next.close();
    }
}
