/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detector reuses its tensors from frame to frame: repeated and interleaved calls give the same detections as
 * the first call (and as the published reference), through the same input and output memory, without allocating
 * anything the size of a frame, a tensor or an output. Skipped only when the shared fixtures folder is absent.
 */
class DetectorReuseTest {
    private static Path shared;
    private static Path yolov8nInt8;

    @BeforeAll
    static void findShared() {
        shared = Specs.sharedOrSkip();
        yolov8nInt8 = shared.resolve("models/yolov8n-coco-int8/yolov8n_int8_opset20.onnx");
    }

    private static BufferedImage image(String name) throws Exception {
        return FrameImages.read(shared.resolve("datasets/ultralytics-samples").resolve(name));
    }

    @Test
    void sameInput_afterOtherFramesInBetween_givesIdenticalDetections_thatMatchTheReference() throws Exception {
        BufferedImage bus = image("bus.jpg");
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7), yolov8nInt8);
             Frame busGrey = FrameImages.toMono8Frame(bus);
             Frame zidaneGrey = FrameImages.toMono8Frame(image("zidane.jpg"))) {
            List<Detection> rgbFirst = d.detectRgb(bus);
            List<Detection> greyFirst = d.detect(busGrey);
            for (int i = 0; i < 3; i++) {
                // another picture of another size through the same tensors, then the first ones again
                assertThat(d.detect(zidaneGrey)).isNotEmpty();
                assertThat(d.detect(busGrey)).isEqualTo(greyFirst);
                assertThat(d.detectRgb(bus)).isEqualTo(rgbFirst);
            }
            for (Detection want : ReferenceDetectionsTest.BUS_V8) {
                Detection got = ReferenceDetectionsTest.bestMatch(want, rgbFirst);
                assertThat(got.iou(want)).as("IoU of %s with the reference %s", got, want).isGreaterThanOrEqualTo(0.9f);
                assertThat(Math.abs(got.score() - want.score())).as("score of %s", got).isLessThanOrEqualTo(0.11f);
            }
        }
    }

    @Test
    void tiledFrame_runTwice_givesIdenticalDetections() throws Exception {
        ModelSpec tiled = Specs.spec(0.25, 0.7, Map.of(), false, 100, new ModelSpec.TilingSpec(640, 64, true), "cpu", 0);
        try (OnnxDetector d = OnnxDetector.open(tiled, yolov8nInt8);
             Frame busGrey = FrameImages.toMono8Frame(image("bus.jpg"))) {
            List<Detection> first = d.detect(busGrey);
            assertThat(first).isNotEmpty();
            assertThat(d.detect(busGrey)).isEqualTo(first);
        }
    }

    @Test
    void repeatedCalls_reuseTheTensors_andAllocateFarLessThanOneFrame() throws Exception {
        try (OnnxDetector d = OnnxDetector.open(Specs.spec(0.25, 0.7), yolov8nInt8);
             Frame busGrey = FrameImages.toMono8Frame(image("bus.jpg"))) {
            for (int i = 0; i < 5; i++) {
                d.detect(busGrey); // the first calls compile code and grow working arrays once
            }
            OnnxDetector.Buffers first = d.lastBuffers();
            assertThat(first).isNotNull();
            assertThat(first.output()).as("the output is pinned in the detector's own direct buffer").isNotNull();
            assertThat(first.output().isDirect()).isTrue();

            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            int calls = 20;
            long before = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < calls; i++) {
                d.detect(busGrey);
            }
            long perCall = (threads.getThreadAllocatedBytes(tid) - before) / calls;
            OnnxDetector.Buffers last = d.lastBuffers();
            assertThat(last.input()).isSameAs(first.input());
            assertThat(last.output()).isSameAs(first.output());
            // the frame is 810x1080 bytes, the input tensor 4.9 MB, the output 2.8 MB: a copy of any of them per call
            // would show here; what remains is the result list, the boxes and a few headers
            long frameBytes = (long) busGrey.width() * busGrey.height();
            System.out.println("detect() allocated " + perCall + " B per call on the Java heap");
            assertThat(perCall).isLessThan(frameBytes / 10);
        }
    }
}
