/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraProviders;
import io.linesight.camera.api.CameraSettings;
import io.linesight.camera.api.Frame;
import io.linesight.camera.api.TriggerTag;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every camera driver promises, as a JUnit 5 suite. A driver's test extends this class and says
 * which camera to open; the provider is looked up by {@code CameraProviders.byId(config().driver())}, so the
 * driver must be registered in {@code META-INF/services}. The camera must be in {@link TriggerMode#SOFTWARE}.
 *
 * <p>What it checks:
 * <ul>
 *   <li>{@code close()} is idempotent; {@code start()} after {@code close()} throws a {@link CameraException}
 *       whose message says the camera is closed;</li>
 *   <li>{@code start()} and {@code stop()} are idempotent, and a stopped camera starts again;</li>
 *   <li>exposure and gain set with {@code configure()} are reported by the next frame;</li>
 *   <li>one software trigger gives exactly one complete frame carrying its {@link TriggerTag}, delivered on a
 *       thread of the driver's, never the caller's;</li>
 *   <li>N triggers give N frames in order, frame ids increasing by one, timestamps never going back;</li>
 *   <li>{@code stop()} during acquisition returns promptly, and no frame arrives after it returned;</li>
 *   <li>frames the sink closes return their buffers: after three times the pool size of frames, the camera still
 *       delivers.</li>
 * </ul>
 *
 * <p>Each test opens its own camera through {@link #open()} and closes it afterwards, so {@link #config()} may
 * depend on state prepared in a {@code @BeforeAll} or {@code @BeforeEach} of the subclass.
 */
public abstract class CameraContract {
    /** Triggers sent by the ordering test. */
    protected static final int N_TRIGGERS = 20;

    private @Nullable Camera camera;

    /** The camera under test; {@code triggerMode} must be {@code software}. Called once per test. */
    protected abstract CameraConfig config();

    /** The driver's frame pool size for {@link #config()}; override when it is not 8. */
    protected int poolSize() {
        return 8;
    }

    /** Pause between consecutive triggers; real cameras that drop triggers sent faster than they expose override it. */
    protected long triggerIntervalMs() {
        return 0;
    }

    /** The longest a frame may take to arrive after its trigger. */
    protected long frameWaitMs() {
        return Math.max(2_000, 2L * config().frameTimeoutMs());
    }

    /** Opens the camera for this test (closed again after it). */
    protected final Camera open() throws CameraException {
        CameraConfig cfg = config();
        assertThat(cfg.triggerMode()).as("the contract runs in software trigger mode").isEqualTo(TriggerMode.SOFTWARE);
        Camera c = CameraProviders.byId(cfg.driver()).open(cfg);
        camera = c;
        return c;
    }

    @AfterEach
    final void closeCamera() {
        Camera c = camera;
        if (c != null) {
            c.close();
        }
    }

    private void triggerAll(Camera c, List<TriggerTag> tags) throws Exception {
        for (TriggerTag tag : tags) {
            c.trigger(tag);
            if (triggerIntervalMs() > 0) {
                Thread.sleep(triggerIntervalMs());
            }
        }
    }

    private static List<TriggerTag> tags(String prefix, int n) {
        List<TriggerTag> tags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tags.add(new TriggerTag(prefix + "-" + i, "shot"));
        }
        return tags;
    }

    @Test
    @DisplayName("close() twice is fine")
    void close_isIdempotent() throws Exception {
        Camera c = open();
        c.close();
        c.close();
    }

    @Test
    @DisplayName("start() after close() fails with a CameraException saying the camera is closed")
    void start_afterClose_failsClearly() throws Exception {
        Camera c = open();
        c.close();
        assertThatThrownBy(() -> c.start(new FrameCollector(true)))
                .isInstanceOf(CameraException.class)
                .hasMessageContaining("closed");
    }

    @Test
    @DisplayName("start() and stop() are idempotent and a stopped camera starts again")
    void startAndStop_areIdempotent_andRestartable() throws Exception {
        Camera c = open();
        FrameCollector sink = new FrameCollector(true);
        c.start(sink);
        c.start(sink);
        c.trigger(new TriggerTag("p-1", "shot"));
        assertThat(sink.poll(frameWaitMs())).as("frame after a double start").isNotNull();
        c.stop();
        c.stop();
        c.start(sink);
        c.trigger(new TriggerTag("p-2", "shot"));
        Frame f = sink.poll(frameWaitMs());
        assertThat(f).as("frame after a restart").isNotNull();
        assertThat(f.tag()).isEqualTo(new TriggerTag("p-2", "shot"));
        assertThat(sink.poll(300)).as("one trigger after a double start gives one frame").isNull();
    }

    @Test
    @DisplayName("configure() exposure and gain are reported by the next frame")
    void settings_roundTrip_toNextFrame() throws Exception {
        Camera c = open();
        FrameCollector sink = new FrameCollector(true);
        c.start(sink);
        c.configure(CameraSettings.of(2_000, 0));
        c.trigger(new TriggerTag("p-1", "a"));
        Frame first = sink.poll(frameWaitMs());
        c.configure(CameraSettings.of(3_000, 6));
        c.trigger(new TriggerTag("p-1", "b"));
        Frame second = sink.poll(frameWaitMs());

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(first.exposureUs()).isCloseTo(2_000, within(20.0));
        assertThat(first.gainDb()).isCloseTo(0, within(0.1));
        assertThat(second.exposureUs()).isCloseTo(3_000, within(30.0));
        assertThat(second.gainDb()).isCloseTo(6, within(0.1));
    }

    @Test
    @DisplayName("one software trigger gives exactly one complete frame carrying the tag, on the driver's thread")
    void softwareTrigger_yieldsExactlyOneFrame_carryingTheTag() throws Exception {
        Camera c = open();
        CameraConfig cfg = config();
        FrameCollector sink = new FrameCollector(false);
        c.start(sink);
        TriggerTag tag = new TriggerTag("part-42", "top-bright");
        c.trigger(tag);
        Frame f = sink.poll(frameWaitMs());
        assertThat(f).as("frame for the trigger").isNotNull();
        try {
            assertThat(f.tag()).isEqualTo(tag);
            assertThat(f.shotName()).isEqualTo("top-bright");
            assertThat(f.complete()).as("a good frame is complete").isTrue();
            assertThat(f.cameraId()).isEqualTo(cfg.id());
            assertThat(f.width()).isEqualTo(cfg.width());
            assertThat(f.height()).isEqualTo(cfg.height());
            assertThat(f.pixelFormat()).isEqualTo(cfg.pixelFormat());
            assertThat(f.pixels().remaining()).isEqualTo(f.stride() * f.height());
            assertThat(f.hostTimestampNs()).isLessThanOrEqualTo(System.nanoTime());
        } finally {
            f.close();
        }
        assertThat(f.isReleased()).isTrue();
        assertThat(sink.deliveryThread()).isNotEqualTo(Thread.currentThread().getName());
        assertThat(sink.poll(300)).as("no second frame for one trigger").isNull();
    }

    @Test
    @DisplayName("N triggers give N frames in order, ids +1, timestamps non-decreasing")
    void nTriggers_yieldNFrames_inOrder() throws Exception {
        Camera c = open();
        FrameCollector sink = new FrameCollector(true);
        c.start(sink);
        List<TriggerTag> sent = tags("part", N_TRIGGERS);
        triggerAll(c, sent);
        List<Frame> got = sink.take(N_TRIGGERS, frameWaitMs());

        assertThat(got).hasSize(N_TRIGGERS);
        assertThat(got).extracting(Frame::tag).containsExactlyElementsOf(sent);
        assertThat(got).allSatisfy(f -> assertThat(f.complete()).isTrue());
        for (int i = 1; i < got.size(); i++) {
            Frame prev = got.get(i - 1);
            Frame cur = got.get(i);
            assertThat(cur.frameId()).as("frame id after %s", prev).isEqualTo(prev.frameId() + 1);
            assertThat(cur.deviceTimestampNs()).as("device time after %s", prev)
                    .isGreaterThanOrEqualTo(prev.deviceTimestampNs());
            assertThat(cur.hostTimestampNs()).as("host time after %s", prev)
                    .isGreaterThanOrEqualTo(prev.hostTimestampNs());
        }
        assertThat(sink.poll(300)).as("no extra frames").isNull();
    }

    @Test
    @DisplayName("stop() during acquisition returns promptly and no frame arrives after it returned")
    void stop_duringAcquisition_returnsPromptly_andNothingArrivesAfter() throws Exception {
        Camera c = open();
        // a consumer taking 10 ms per frame, and triggers still being sent from another thread when stop() comes:
        // frames are in flight at stop whatever the camera's trigger pacing and however loaded the machine is
        FrameCollector sink = new FrameCollector(true, 10);
        c.start(sink);
        Thread triggering = Thread.ofPlatform().name("contract-triggers").start(() -> {
            try {
                triggerAll(c, tags("busy", N_TRIGGERS));
            } catch (CameraException e) {
                // refused once stopped: what a trigger after stop() may do
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(sink.poll(frameWaitMs())).as("acquisition under way").isNotNull();
        // "promptly" is a hang detector, far above any real stop time
        assertTimeout(Duration.ofSeconds(5), c::stop);
        int atStop = sink.delivered();
        triggering.join(Duration.ofSeconds(10));
        Thread.sleep(500);
        assertThat(sink.delivered()).as("frames delivered after stop() returned").isEqualTo(atStop);
        assertThat(atStop).as("stop() came while frames were still in flight").isLessThan(N_TRIGGERS);
    }

    @Test
    @DisplayName("frames closed by the sink return their buffers: 3 x pool size, then still acquiring")
    void closedFrames_returnTheirBuffers_poolNeverLeaks() throws Exception {
        Camera c = open();
        FrameCollector sink = new FrameCollector(true);
        c.start(sink);
        int n = 3 * poolSize();
        for (int i = 0; i < n; i++) {
            c.trigger(new TriggerTag("pool-" + i, "shot"));
            // one at a time: the pool, not the trigger queue, is what this test exercises
            assertThat(sink.poll(frameWaitMs())).as("frame %d of %d", i + 1, n).isNotNull();
        }
        triggerAll(c, tags("burst", poolSize()));
        assertThat(sink.take(poolSize(), frameWaitMs())).as("a burst of pool size after the cycle").hasSize(poolSize());
        c.trigger(new TriggerTag("after", "shot"));
        Frame last = sink.poll(frameWaitMs());
        assertThat(last).as("still acquiring").isNotNull();
        assertThat(last.tag()).isEqualTo(new TriggerTag("after", "shot"));
    }
}
