/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.replay;

import io.linesight.camera.api.Camera;
import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import io.linesight.camera.api.CameraProvider;
import io.linesight.camera.api.TruthBox;
import io.linesight.config.TriggerMode;
import io.linesight.config.station.CameraConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code replay} camera driver: {@code cameras[].device} names a folder of PNG, JPEG, BMP or TIFF images, 8 or
 * 16 bit grey (colour is converted to grey), played in file-name order; labels next to them become the frames'
 * truth ({@link LabelReader}). Options: {@code loop}, {@code rateHz}, {@code cacheMb}, {@code buffers},
 * {@code readoutMs}. Every image is checked at open: an image of another size than
 * {@code cameras[].width x height}, an unreadable one, or an empty or missing folder is refused naming the file.
 */
public final class ReplayCameraProvider implements CameraProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCameraProvider.class);
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");

    @Override
    public String id() {
        return "replay";
    }

    /** A folder cannot be discovered: the list is empty. */
    @Override
    public List<CameraInfo> discover() {
        return List.of();
    }

    @Override
    public Camera open(CameraConfig config) throws CameraException {
        String where = "cameras[" + config.id() + "]";
        if (config.triggerMode() == TriggerMode.HARDWARE) {
            throw new CameraException(CameraException.Code.BAD_SETTING, where + ".triggerMode: hardware is not "
                    + "supported by the replay camera; use software or free_run");
        }
        ReplayOptions options = ReplayOptions.of(config);
        String device = config.device();
        if (device == null || device.isBlank()) {
            throw new CameraException(CameraException.Code.BAD_SETTING, where + ".device: the replay camera needs "
                    + "the folder of images to play");
        }
        Path folder = Path.of(device);
        if (!Files.isDirectory(folder)) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, where + ".device: replay folder " + folder
                    + " does not exist or is not a folder");
        }
        List<Path> files = images(folder, where);
        GreyDecoder decoder = new GreyDecoder(config.pixelFormat(), config.width(), config.height());
        LabelReader labels = new LabelReader(folder);
        List<List<TruthBox>> truth = new ArrayList<>(files.size());
        for (Path f : files) {
            int[] size = GreyDecoder.size(f);
            if (size[0] != config.width() || size[1] != config.height()) {
                throw decoder.sizeMismatch(f, size[0], size[1]);
            }
            truth.add(labels.truthOf(f, config.width(), config.height()));
        }
        long total = (long) decoder.frameBytes() * files.size();
        List<ByteBuffer> cache = null;
        if (total <= options.cacheMb() << 20) {
            cache = new ArrayList<>(files.size());
            for (Path f : files) {
                ByteBuffer b = ByteBuffer.allocateDirect(decoder.frameBytes());
                decoder.decode(f, b);
                cache.add(b);
            }
        }
        CameraInfo info = new CameraInfo("replay", device, "Linesight", "Image folder replay", "",
                folder.toAbsolutePath().toString());
        LOG.atInfo().addKeyValue("camera", config.id()).addKeyValue("folder", folder)
                .addKeyValue("images", files.size()).addKeyValue("cached", cache != null)
                .addKeyValue("labelled", truth.stream().filter(t -> !t.isEmpty()).count()).log("replay camera open");
        return new ReplayCamera(config, info, options, folder, files, truth, cache, decoder);
    }

    private static List<Path> images(Path folder, String where) throws CameraException {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(ReplayCameraProvider::isImage)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            if (files.isEmpty()) {
                throw new CameraException(CameraException.Code.BAD_SETTING, where + ".device: replay folder " + folder
                        + " holds no images (" + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")");
            }
            return files;
        } catch (IOException e) {
            throw new CameraException(CameraException.Code.NOT_CONNECTED, where + ".device: cannot list " + folder
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
