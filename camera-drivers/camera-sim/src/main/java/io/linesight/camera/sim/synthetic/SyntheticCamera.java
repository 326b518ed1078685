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
 * carried), or the frame id when there is none, so the shots of one part show the same part; they differ in exposure
 * and sensor noise only. Each frame carries the part's id in a {@link PartStamp}. With {@code dropEvery: N} every Nth
 * trigger gives no frame, as a camera that missed it would (fault injection).
 */
final class SyntheticCamera extends SimulatedCamera {
    private final SyntheticRenderer renderer;
    private final int dropEvery;

    SyntheticCamera(CameraConfig config, CameraInfo info, SyntheticOptions options) {
        super(config, info, options.buffers(), options.readoutMs(), options.fps(), new Triggering(options.linePort()));
        this.renderer = new SyntheticRenderer(config.width(), config.height(), config.pixelFormat(), options.seed(),
                options.defectRate());
        this.dropEvery = options.dropEvery();
    }

    @Override
    protected boolean missesTrigger(long trigger) {
        return dropEvery > 0 && trigger % dropEvery == 0;
    }

    @Override
    protected List<TruthBox> render(Request request, long frameId, ByteBuffer dst) {
        TriggerTag tag = request.tag();
        String partId = request.partId();
        long key = PartGenerator.partKey(partId != null ? partId : Long.toString(frameId));
        long shot = tag != null ? PartGenerator.partKey(tag.shotName()) : 0;
        return renderer.render(key, request.exposureUs(), PartGenerator.mix(key, shot), dst);
    }
}
