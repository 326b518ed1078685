/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.TriggerTag;
import io.linesight.camera.api.TruthBox;
import io.linesight.camera.sim.acquisition.SimulatedCamera;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A camera that photographs synthetic machined brackets (see {@link SyntheticPartLayout} and the module README).
 * The part comes from {@code hash(seed, partId)} with the part id of the trigger's tag (or the one a line edge
 * carried), or the frame id when there is none, so the shots of one part show the same part; they differ in exposure and sensor noise only. The clean
 * scene is drawn once per part and each shot only exposes it.
 */
final class SyntheticCamera extends SimulatedCamera {
    private final PartGenerator parts;
    private final BracketPainter painter;
    private final SensorModel sensor;
    private final byte[] scene;
    // acquisition thread only
    private long sceneKey;
    private boolean hasScene;
    private List<TruthBox> sceneTruth = List.of();

    SyntheticCamera(CameraConfig config, CameraInfo info, SyntheticOptions options) {
        super(config, info, options.buffers(), options.readoutMs(), options.fps(),
                new Triggering(options.linePort(), options.dropEvery()));
        this.parts = new PartGenerator(options.seed(), options.defectRate(), config.width(), config.height());
        this.painter = new BracketPainter(config.width(), config.height());
        this.sensor = new SensorModel(config.width(), config.height(), config.pixelFormat(), options.seed());
        this.scene = new byte[config.width() * config.height()];
    }

    @Override
    protected List<TruthBox> render(Request request, long frameId, ByteBuffer dst) {
        TriggerTag tag = request.tag();
        String partId = request.partId();
        long key = PartGenerator.partKey(partId != null ? partId : Long.toString(frameId));
        if (!hasScene || key != sceneKey) {
            sceneTruth = painter.paint(parts.part(key), scene);
            sceneKey = key;
            hasScene = true;
        }
        long shot = tag != null ? PartGenerator.partKey(tag.shotName()) : 0;
        sensor.expose(scene, request.exposureUs(), PartGenerator.mix(key, shot), dst);
        return sceneTruth;
    }
}
