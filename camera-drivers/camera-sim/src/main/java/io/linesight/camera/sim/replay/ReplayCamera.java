/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.TruthBox;
import io.linesight.camera.sim.acquisition.SimulatedCamera;
import io.linesight.config.station.CameraConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a folder of images as camera frames, one per trigger (or per tick in free run), in file-name order. Images
 * decoded at open are copied into the pooled buffer per frame; otherwise each is decoded on the acquisition thread
 * (which allocates: ImageIO has no decode-into-buffer).
 */
final class ReplayCamera extends SimulatedCamera {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCamera.class);

    private final Path folder;
    private final List<Path> files;
    private final List<List<TruthBox>> truth;
    private final @Nullable List<ByteBuffer> cache;
    private final GreyDecoder decoder;
    private final boolean loop;
    // acquisition thread only
    private long played;
    // control thread only
    private long triggered;

    ReplayCamera(CameraConfig config, CameraInfo info, ReplayOptions options, Path folder, List<Path> files,
            List<List<TruthBox>> truth, @Nullable List<ByteBuffer> cache, GreyDecoder decoder) {
        super(config, info, options.buffers(), options.readoutMs(), options.rateHz());
        this.folder = folder;
        this.files = List.copyOf(files);
        this.truth = List.copyOf(truth);
        this.cache = cache == null ? null : List.copyOf(cache);
        this.decoder = decoder;
        this.loop = options.loop();
    }

    @Override
    protected void beforeTrigger() throws CameraException {
        if (!loop && triggered >= files.size()) {
            throw new CameraException(CameraException.Code.DEVICE_ERROR, "replay folder " + folder + ": all "
                    + files.size() + " images were played and cameras[" + config.id() + "].options.loop is false");
        }
        triggered++;
    }

    @Override
    protected boolean hasNextImage() {
        boolean more = loop || played < files.size();
        if (!more && played == files.size()) {
            played++;
            LOG.atInfo().addKeyValue("camera", config.id()).addKeyValue("images", files.size())
                    .log("replay folder played to the end (loop is false)");
        }
        return more;
    }

    @Override
    protected List<TruthBox> render(Request request, long frameId, ByteBuffer dst) throws CameraException {
        int i = (int) (played % files.size());
        played++;
        if (cache != null) {
            ByteBuffer src = cache.get(i);
            dst.put(0, src, 0, src.capacity());
        } else {
            decoder.decode(files.get(i), dst);
        }
        return truth.get(i);
    }

    @Override
    protected void release() {
        LOG.atDebug().addKeyValue("camera", config.id()).addKeyValue("played", played).log("replay camera closed");
    }
}
