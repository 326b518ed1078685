/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HMI's threads are lowered below inspection by their kernel names, read back from /proc: the thread that asks
 * (the FX application thread in the HMI) and JavaFX's renderer, and no other thread of the process. No toolkit is
 * started: the renderer is a thread of the same kernel name.
 */
class DisplayPriorityTest {

    @Test
    void theCallingThreadAndTheRendererAreLowered_anInspectionThreadIsNot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> rendererTid = new CompletableFuture<>();
        CompletableFuture<Integer> inspectTid = new CompletableFuture<>();
        Thread renderer = Thread.ofPlatform().name("QuantumRenderer-0").daemon(true).start(() -> park(rendererTid, release));
        Thread inspect = Thread.ofPlatform().name("inspect-0").daemon(true).start(() -> park(inspectTid, release));
        int rendererBefore = DisplayPriority.niceOf(rendererTid.get(5, TimeUnit.SECONDS));
        int inspectBefore = DisplayPriority.niceOf(inspectTid.get(5, TimeUnit.SECONDS));

        CompletableFuture<String> report = new CompletableFuture<>();
        CompletableFuture<Integer> fxTid = new CompletableFuture<>();
        Thread fx = Thread.ofPlatform().name("JavaFX Application Thread").start(() -> {
            try {
                report.complete(DisplayPriority.lowerToolkitThreads());
                fxTid.complete(DisplayPriority.tidOfCallingThread());
                release.await();
            } catch (Exception e) {
                report.completeExceptionally(e);
            }
        });
        String done = report.get(5, TimeUnit.SECONDS);
        try {
            assertThat(rendererBefore).as("a new thread starts at the process's nice value").isLessThan(DisplayPriority.NICE);
            assertThat(done).startsWith("HMI threads at nice 10").contains("JavaFX Application Thread")
                    .contains("QuantumRenderer");
            assertThat(DisplayPriority.niceOf(fxTid.get(5, TimeUnit.SECONDS))).as("the calling thread").isEqualTo(DisplayPriority.NICE);
            assertThat(DisplayPriority.niceOf(rendererTid.get())).as("the renderer").isEqualTo(DisplayPriority.NICE);
            assertThat(DisplayPriority.niceOf(inspectTid.get())).as("an inspection thread").isEqualTo(inspectBefore);
            assertThat(DisplayPriority.niceOf(DisplayPriority.tidOfCallingThread())).as("the test's own thread")
                    .isEqualTo(inspectBefore);
        } finally {
            release.countDown();
            renderer.join();
            inspect.join();
            fx.join();
        }
    }

    @Test
    void zeroLeavesEveryThreadAlone_andAValueOutside0To19IsRefusedByName() throws Exception {
        int before = DisplayPriority.niceOf(DisplayPriority.tidOfCallingThread());
        assertThat(DisplayPriority.lowerToolkitThreads("0")).contains("keep the station's priority");
        assertThat(DisplayPriority.lowerToolkitThreads("twenty")).contains("-Dlinesight.hmi.nice=twenty")
                .contains("0..19");
        assertThat(DisplayPriority.lowerToolkitThreads("25")).contains("0..19");
        assertThat(DisplayPriority.niceOf(DisplayPriority.tidOfCallingThread())).isEqualTo(before);
    }

    private static void park(CompletableFuture<Integer> tid, CountDownLatch release) {
        try {
            tid.complete(DisplayPriority.tidOfCallingThread());
            release.await();
        } catch (Exception e) {
            tid.completeExceptionally(e);
        }
    }
}
