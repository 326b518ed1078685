/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.linesight.camera.api.Frame;
import io.linesight.camera.api.FramePool;
import io.linesight.config.PixelFormat;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A recipe changeover closes the old recipe's sessions while a worker may still be detecting: close must wait for the
 * running detect (no native use after free), and a detect after close must fail cleanly. Real ONNX session (the
 * demo model from the repository).
 */
class DetectorCloseRaceTest {

    @Test
    void closeDuringDetect_waitsForIt_andLaterDetectsFailCleanly() throws Exception {
        Path model = Specs.demoModel();
        assumeThat(model).as("the demo model in the repository").isNotNull();
        FramePool pool = new FramePool(1, 320 * 256);
        FramePool.Slot slot = pool.acquire(1000);
        for (int i = 0; i < 320 * 256; i++) {
            slot.buffer().put(i, (byte) (i % 251));
        }
        Frame frame = pool.publish(slot, new Frame.Builder().cameraId("c").format(PixelFormat.MONO8, 320, 256));
        OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.45), model);
        AtomicInteger completed = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().start(() -> {
            while (true) {
                try {
                    running.countDown();
                    d.detect(frame);
                    completed.incrementAndGet();
                } catch (IllegalStateException closed) {
                    assertThat(closed).hasMessageContaining("detector is closed");
                    return;
                } catch (Throwable t) {
                    unexpected.set(t);
                    return;
                }
            }
        });
        running.await();
        Thread.sleep(200);
        d.close();
        worker.join(10_000);
        d.close(); // idempotent

        assertThat(worker.isAlive()).isFalse();
        assertThat(unexpected.get()).isNull();
        assertThat(completed.get()).as("detects ran before the close").isPositive();
        frame.close();
    }
}
