/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect.anomaly;

import io.linesight.config.recipe.AnomalySpec;
import io.linesight.config.recipe.RecipeLoader;
import io.linesight.config.recipe.Roi;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.anomaly.AnomalyModel;
import io.linesight.inference.onnx.anomaly.AnomalyResult;
import io.linesight.rules.judge.ShotAnomaly;
import io.linesight.camera.api.Frame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * One shot's anomaly model as a recipe runs it: one session per inspection worker, the threshold in force (the
 * recipe's, one set for its {@code targetFrr}, or the model's own), the ROI and the ignore mask cut to it.
 */
final class ShotAnomalyModel implements AutoCloseable {
    private final String shot;
    private final String label;
    private final List<AnomalyModel> sessions;
    private final double threshold;
    private final @Nullable Roi roi;
    private final boolean @Nullable [] ignore;
    private final String requestedProvider;

    private ShotAnomalyModel(String shot, String label, List<AnomalyModel> sessions, double threshold,
                             @Nullable Roi roi, boolean @Nullable [] ignore, String requestedProvider) {
        this.requestedProvider = requestedProvider;
        this.shot = shot;
        this.label = label;
        this.sessions = sessions;
        this.threshold = threshold;
        this.roi = roi;
        this.ignore = ignore;
    }

    /** What the recipe asked for ({@code cpu}, {@code cuda}, {@code tensorrt}). */
    String requestedProvider() {
        return requestedProvider;
    }

    /** The execution provider the backbone really runs on ({@code CPU}, {@code CUDA}, {@code TensorRT}). */
    String provider() {
        return sessions.getFirst().provider();
    }

    /** Opens {@code workers} sessions of the shot's model; on failure none stays open. */
    static ShotAnomalyModel open(String shot, AnomalySpec spec, Path recipeDir, int workers) throws InferenceException {
        Path file = RecipeLoader.resolve(recipeDir, spec.model());
        boolean[] ignore = spec.mask() == null ? null : mask(RecipeLoader.resolve(recipeDir, spec.mask()), spec.roi());
        List<AnomalyModel> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                sessions.add(AnomalyModel.open(file, spec.threads(), spec.provider(), spec.gpuOrDefaults()));
            }
            AnomalyModel first = sessions.getFirst();
            double threshold = spec.threshold() != null ? spec.threshold()
                    : spec.targetFrr() != null ? thresholdFor(first, spec.targetFrr(), file, shot) : first.info().threshold();
            return new ShotAnomalyModel(shot, file.getFileName().toString(), sessions, threshold, spec.roi(), ignore,
                    spec.provider());
        } catch (InferenceException | RuntimeException e) {
            sessions.forEach(AnomalyModel::close);
            throw e;
        }
    }

    /** The threshold for the recipe's target false-reject rate, from the good scores the model holds. */
    private static double thresholdFor(AnomalyModel model, double frr, Path file, String shot) throws InferenceException {
        try {
            return model.info().thresholdFor(frr);
        } catch (IllegalStateException e) {
            // a hand-made or old model file: say which file and which setting, not just what is missing
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": anomaly.targetFrr of shot " + shot
                    + " cannot be met: " + e.getMessage() + " (give anomaly.threshold instead, or learn the model again)");
        }
    }

    /** The mask image cut to the ROI: white (128 and above) is ignored. */
    private static boolean[] mask(Path file, @Nullable Roi roi) throws InferenceException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": anomaly mask unreadable: "
                    + e.getMessage(), e);
        }
        if (img == null) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": anomaly mask is not an image");
        }
        int x0 = roi == null ? 0 : roi.x();
        int y0 = roi == null ? 0 : roi.y();
        int w = roi == null ? img.getWidth() : roi.width();
        int h = roi == null ? img.getHeight() : roi.height();
        if (x0 + w > img.getWidth() || y0 + h > img.getHeight()) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": anomaly mask "
                    + img.getWidth() + "x" + img.getHeight() + " does not cover the roi");
        }
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = img.getRaster().getSample(x0 + x, y0 + y, 0) >= 128;
            }
        }
        return out;
    }

    String shot() {
        return shot;
    }

    /** The model's file name, for reasons and logs. */
    String label() {
        return label;
    }

    double threshold() {
        return threshold;
    }

    /** Scores the shot's frame with worker {@code worker}'s session; only that worker may call it for its index. */
    ShotAnomaly score(int worker, Frame frame) throws InferenceException {
        BufferedImage img = FrameCrop.grey(frame, roi);
        if (ignore != null && ignore.length != img.getWidth() * img.getHeight()) {
            throw new IllegalArgumentException("anomaly mask is " + ignore.length + " pixels, the frame region "
                    + img.getWidth() + "x" + img.getHeight());
        }
        AnomalyResult r = sessions.get(worker % sessions.size()).score(img, threshold, ignore);
        int ox = roi == null ? 0 : roi.x();
        int oy = roi == null ? 0 : roi.y();
        AnomalyResult.Region g = r.region();
        return new ShotAnomaly(shot, r.score(), threshold, new ShotAnomaly.Box(ox + g.x(), oy + g.y(), g.width(), g.height()),
                new ShotAnomaly.Box(ox, oy, img.getWidth(), img.getHeight()), r.gridWidth(), r.gridHeight(), r.map());
    }

    @Override
    public void close() {
        sessions.forEach(AnomalyModel::close);
    }
}
