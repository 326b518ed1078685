/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.TruthBox;
import io.linesight.config.PixelFormat;
import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders the synthetic camera's frames. A part's clean scene (plate, holes, defect, part-id stamp) is drawn once,
 * when the part is first shot, and kept as runs of grey ({@link SceneRuns}); every shot of that part then only
 * exposes the runs into the frame buffer ({@link SensorModel}). Nothing is allocated per frame once the sensor's
 * textures exist.
 *
 * <p>Not thread-safe: the camera's acquisition thread owns it.
 */
final class SyntheticRenderer {
    private final int width;
    private final PartGenerator parts;
    private final BracketPainter painter;
    private final SensorModel sensor;
    private final byte[] scene;
    private final SceneRuns runs = new SceneRuns();
    private final PartStamp.@Nullable Strip stamp;
    private long sceneKey;
    private boolean hasScene;
    private List<TruthBox> sceneTruth = List.of();

    SyntheticRenderer(int width, int height, PixelFormat format, long seed, double defectRate) {
        this(width, height, format, seed, defectRate, true);
    }

    /** @param withStamp false to leave the part-id stamp out (tests that compare frames with and without it) */
    SyntheticRenderer(int width, int height, PixelFormat format, long seed, double defectRate, boolean withStamp) {
        this.width = width;
        this.parts = new PartGenerator(seed, defectRate, width, height);
        this.painter = new BracketPainter(width, height);
        this.sensor = new SensorModel(width, height, format, seed);
        this.scene = new byte[width * height];
        this.stamp = withStamp ? stampClearOfEveryPart(width, height) : null;
    }

    /** The stamp's strip when it lies wholly below the lowest place a plate can reach, else null (no stamp). */
    private static PartStamp.@Nullable Strip stampClearOfEveryPart(int width, int height) {
        PartStamp.Strip s = PartStamp.strip(width, height);
        SyntheticPartLayout nominal = SyntheticPartLayout.of(width, height);
        int lowestPlateEdge = nominal.plateY() + nominal.plateHeight() + nominal.jitterMax();
        return s != null && s.y() >= lowestPlateEdge ? s : null;
    }

    /** Whether frames carry the part-id stamp (the frame is large enough to keep it clear of the part). */
    boolean stamped() {
        return stamp != null;
    }

    /**
     * Renders one shot of the part with key {@code partKey} ({@link PartGenerator#partKey}) into {@code dst} (from
     * index 0; position 0 and limit at the image's end afterwards) and returns its ground truth.
     *
     * @param noiseKey which stretch of the sensor noise this shot reads
     */
    List<TruthBox> render(long partKey, double exposureUs, long noiseKey, ByteBuffer dst) {
        if (!hasScene || partKey != sceneKey) {
            sceneTruth = painter.paint(parts.part(partKey), scene);
            if (stamp != null) {
                PartStamp.paint(scene, width, stamp, partKey, BracketPainter.BACKGROUND, BracketPainter.PLATE);
            }
            runs.encode(scene, scene.length);
            sceneKey = partKey;
            hasScene = true;
        }
        sensor.expose(runs, exposureUs, noiseKey, dst);
        return sceneTruth;
    }

    /** The clean scene of the part rendered last (unit exposure, no noise), for tests. */
    byte[] scene() {
        return scene;
    }

    /** The sensor model, for tests that compare against a per-pixel lookup. */
    SensorModel sensor() {
        return sensor;
    }
}
