/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import io.linesight.inference.api.InferenceException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Learns an {@link AnomalyModel} from good images only, in Java: patch features of every learning image, a greedy
 * coreset of them as the memory bank, and a threshold calibrated on held-out good images (every
 * {@code calibrationEvery}-th image is held out, so the threshold is measured on images the bank never saw).
 */
public final class AnomalyLearner {

    /**
     * How to learn.
     *
     * @param layers           backbone taps to use; empty: its first stride-8 and stride-16 taps
     * @param inputWidth       images are resized to this (a multiple of 32)
     * @param inputHeight      images are resized to this (a multiple of 32)
     * @param scale            when above 0, images keep their aspect and are scaled by this factor instead
     * @param standardise      stretch each image's grey levels to one mean and spread before the backbone
     * @param border           patches along each edge left out of the image score
     * @param targetFrr        the false-reject rate on good images the threshold is set for (0..0.5)
     * @param coresetRatio     the fraction of learning patches kept in the memory bank (0..1]
     * @param maxBank          the most rows the memory bank keeps, whatever the ratio
     * @param calibrationEvery every n-th image is held out for the threshold (n >= 2)
     * @param projectionDim    dimensions of the random projection the coreset selection measures in
     * @param seed             seeds the coreset's start and projection: the same images and seed give the same model
     * @param threads          ONNX Runtime intra-op threads
     */
    public record Options(List<String> layers, int inputWidth, int inputHeight, double scale, boolean standardise,
                          int border, double targetFrr,
                          double coresetRatio,
                          int maxBank, int calibrationEvery, int projectionDim, long seed, int threads) {
        public Options {
            layers = List.copyOf(layers);
            if (inputWidth < 32 || inputWidth % 32 != 0 || inputHeight < 32 || inputHeight % 32 != 0) {
                throw new IllegalArgumentException("input size " + inputWidth + "x" + inputHeight
                        + " must be multiples of 32");
            }
            if (!(scale >= 0 && scale <= 4)) {
                throw new IllegalArgumentException("scale " + scale + " must be in [0, 4] (0: fixed input size)");
            }
            if (!(targetFrr > 0 && targetFrr <= 0.5)) {
                throw new IllegalArgumentException("target false-reject rate " + targetFrr + " must be in (0, 0.5]");
            }
            if (!(coresetRatio > 0 && coresetRatio <= 1)) {
                throw new IllegalArgumentException("coreset ratio " + coresetRatio + " must be in (0, 1]");
            }
            if (border < 0 || border > 8) {
                throw new IllegalArgumentException("border " + border + " must be 0..8 patches");
            }
            if (maxBank < 1 || calibrationEvery < 2 || projectionDim < 1 || threads < 1) {
                throw new IllegalArgumentException("maxBank, projectionDim and threads must be >= 1, calibrationEvery >= 2");
            }
        }

        /**
         * 256x256, 1 % false rejects, 10 % coreset capped at 10,000 patches measured in a 32-dimensional projection,
         * every 5th image for calibration.
         */
        public static Options defaults() {
            return new Options(List.of(), 256, 256, 0, false, 0, 0.01, 0.1, 10_000, 5, 32, 42L,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        }
    }

    /** Progress of a learning run; called on the learning thread, must not block. */
    @FunctionalInterface
    public interface Progress {
        /** @param stage {@code features}, {@code coreset} or {@code calibration} */
        void update(String stage, int done, int total);
    }

    private AnomalyLearner() {
    }

    /**
     * Learns a model and writes it to {@code out}.
     *
     * @param images good images, in a stable order (the calibration hold-out is taken by position)
     * @throws IOException        an image cannot be read (the message names it) or the model cannot be written
     * @throws InferenceException the backbone cannot be loaded or run
     */
    public static AnomalyModelInfo learn(byte[] backboneOnnx, String backboneName, List<Path> images, Options o, Path out,
                                         Progress progress) throws IOException, InferenceException {
        if (images.size() < 2) {
            throw new IllegalArgumentException("learning needs at least 2 good images (found " + images.size() + ")");
        }
        List<Path> learn = new ArrayList<>();
        List<Path> calib = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            (i % o.calibrationEvery() == o.calibrationEvery() - 1 ? calib : learn).add(images.get(i));
        }
        if (calib.isEmpty()) {
            calib.add(learn.removeLast());
        }
        try (Backbone backbone = Backbone.load(backboneOnnx, backboneName, o.threads())) {
            List<String> layers = o.layers().isEmpty() ? backbone.defaultLayers() : o.layers();
            for (String l : layers) {
                if (!backbone.taps().containsKey(l)) {
                    throw new IllegalArgumentException("layer '" + l + "' is not a tap of " + backboneName + " (taps: "
                            + backbone.taps().keySet() + ")");
                }
            }
            AnomalyModelInfo info = new AnomalyModelInfo(backboneName, AnomalyModel.sha256(backboneOnnx), layers,
                    o.inputWidth(), o.inputHeight(), o.scale(), o.standardise(), o.border(), 3, 0, 0, 0, Double.NaN, o.targetFrr(), List.of(), List.of(),
                    List.of(), "");
            int total = images.size();
            List<float[]> perImage = new ArrayList<>(learn.size());
            int dim = 0;
            long patches = 0;
            for (int i = 0; i < learn.size(); i++) {
                PatchFeatures f = AnomalyModel.features(backbone, info, read(learn.get(i)));
                dim = f.dim();
                perImage.add(f.data());
                patches += f.patches();
                progress.update("features", i + 1, total);
            }
            if (patches * dim > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(patches + " patches of " + dim + " values do not fit one array: "
                        + "learn from fewer images or a smaller --scale/--size");
            }
            int rows = (int) patches;
            float[] all = new float[rows * dim];
            int at = 0;
            for (int i = 0; i < perImage.size(); i++) {
                float[] d = perImage.set(i, null);
                System.arraycopy(d, 0, all, at, d.length);
                at += d.length;
            }
            int target = (int) Math.min(o.maxBank(), Math.max(1, Math.ceil(o.coresetRatio() * rows)));
            final int targetFinal = target;
            int[] chosen = Coreset.select(all, rows, dim, target, o.projectionDim(), o.seed(),
                    done -> progress.update("coreset", done, targetFinal));
            float[] bankRows = new float[chosen.length * dim];
            for (int i = 0; i < chosen.length; i++) {
                System.arraycopy(all, chosen[i] * dim, bankRows, i * dim, dim);
            }
            all = null; // the learning patches are the largest allocation; free them before calibration
            MemoryBank bank = new MemoryBank(bankRows, chosen.length, dim);
            AnomalyModelInfo sized = new AnomalyModelInfo(backboneName, info.backboneSha256(), layers, o.inputWidth(),
                    o.inputHeight(), o.scale(), o.standardise(), o.border(), 3, dim, chosen.length, rows, Double.NaN, o.targetFrr(), List.of(), List.of(),
                    List.of(), "");
            AnomalyModel scorer = new AnomalyModel(sized, backbone, bank);
            double[] scores = new double[calib.size()];
            for (int i = 0; i < calib.size(); i++) {
                scores[i] = scorer.score(read(calib.get(i)), Double.POSITIVE_INFINITY).score();
                progress.update("calibration", learn.size() + i + 1, total);
            }
            Arrays.sort(scores);
            double threshold = threshold(scores, o.targetFrr());
            AnomalyModelInfo done = new AnomalyModelInfo(backboneName, info.backboneSha256(), layers, o.inputWidth(),
                    o.inputHeight(), o.scale(), o.standardise(), o.border(), 3, dim, chosen.length, rows, threshold, o.targetFrr(),
                    Arrays.stream(scores).boxed().toList(), names(learn), names(calib),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            AnomalyModel.write(out, done, backboneOnnx, bankRows);
            return done;
        }
    }

    /**
     * The smallest calibration score with at most {@code frr} of the good scores above it. With fewer than
     * {@code 1/frr} calibration images that is their maximum: the threshold then cannot promise a lower rate than
     * one image in the calibration set.
     */
    static double threshold(double[] sortedScores, double frr) {
        int n = sortedScores.length;
        int allowedAbove = (int) Math.floor(frr * n);
        return sortedScores[Math.max(0, n - 1 - allowedAbove)];
    }

    static BufferedImage read(Path image) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(image.toFile());
        } catch (IOException e) {
            throw new IOException(image + ": cannot decode the image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(image + ": not an image this station can decode (PNG, JPEG, BMP, GIF)");
        }
        return img;
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }
}
