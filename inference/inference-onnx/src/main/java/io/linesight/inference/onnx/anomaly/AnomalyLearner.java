/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import io.linesight.config.recipe.ModelSpec.GpuSpec;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

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
     * @param topK             the image score is the mean of this many largest patch distances
     * @param mirror           also learn each bank image mirrored left to right (for parts whose good look is
     *                         symmetric; never where a mirrored part is a defect)
     * @param shift            when above 0, also learn each bank image (and its mirror image) moved by this many pixels
     *                         in each of the eight directions (left, right, up, down and the diagonals), the
     *                         uncovered strips filled with the image reflected at its edge, nine views in all: the bank then
     *                         holds the part wherever the fixture lets it sit within that distance, not only where the
     *                         learning parts happened to sit (original-image pixels, before scaling)
     * @param moreScales       further scales, each with its own memory bank and border; the image score sums every
     *                         scale's score in units of its held-out good scores' spread (needs {@code scale > 0})
     * @param targetFrr        the false-reject rate on good images the threshold is set for (0..0.5)
     * @param coresetRatio     the fraction of learning patches kept in the memory bank (0..1]
     * @param maxBank          the most rows the memory bank keeps, whatever the ratio
     * @param calibrationEvery every n-th image is held out for the threshold (n >= 2)
     * @param projectionDim    dimensions of the random projection the coreset selection measures in
     * @param seed             seeds the coreset's start and projection: the same images and seed give the same model
     * @param threads          ONNX Runtime intra-op threads, and the threads sharing the coreset selection
     */
    public record Options(List<String> layers, int inputWidth, int inputHeight, double scale, boolean standardise,
                          int border, int topK, boolean mirror, int shift, List<MoreScale> moreScales, double targetFrr,
                          double coresetRatio,
                          int maxBank, int calibrationEvery, int projectionDim, long seed, int threads) {
        public Options {
            layers = List.copyOf(layers);
            moreScales = List.copyOf(moreScales);
            if (!moreScales.isEmpty() && scale <= 0) {
                throw new IllegalArgumentException("further scales need a first scale (scale > 0), not a fixed input size");
            }
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
            if (topK < 1 || topK > 1000) {
                throw new IllegalArgumentException("topK " + topK + " must be 1..1000");
            }
            if (shift < 0 || shift > MAX_SHIFT) {
                throw new IllegalArgumentException("shift " + shift + " must be 0.." + MAX_SHIFT + " pixels");
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
        public Options(List<String> layers, int inputWidth, int inputHeight, double scale, boolean standardise,
                       int border, double targetFrr, double coresetRatio, int maxBank, int calibrationEvery,
                       int projectionDim, long seed, int threads) {
            this(layers, inputWidth, inputHeight, scale, standardise, border, 1, false, 0, List.of(), targetFrr, coresetRatio, maxBank,
                    calibrationEvery, projectionDim, seed, threads);
        }

        public static Options defaults() {
            return new Options(List.of(), 256, 256, 0, false, 0, 1, false, 0, List.of(), 0.01, 0.1, 10_000, 5, 32, 42L,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
        }

        /** The images learned for one bank image: itself, its mirror image, and each of those moved by the shift. */
        List<BufferedImage> views(BufferedImage image) {
            List<BufferedImage> base = mirror ? List.of(image, mirrored(image)) : List.of(image);
            if (shift == 0) {
                return base;
            }
            List<BufferedImage> all = new ArrayList<>(base.size() * 9);
            for (BufferedImage b : base) {
                for (int dy = -shift; dy <= shift; dy += shift) {
                    for (int dx = -shift; dx <= shift; dx += shift) {
                        all.add(dx == 0 && dy == 0 ? b : shifted(b, dx, dy));
                    }
                }
            }
            return all;
        }
    }

    /** The largest shift, in pixels. */
    public static final int MAX_SHIFT = 256;

    /**
     * A further scale of a multi-scale model.
     *
     * @param scale  the factor images are scaled by, in (0, 4]
     * @param border patches along each edge left out at this scale (0..16)
     */
    public record MoreScale(double scale, int border) {
        public MoreScale {
            if (!(scale > 0 && scale <= 4) || border < 0 || border > 16) {
                throw new IllegalArgumentException("further scale " + scale + " with border " + border
                        + ": the scale must be in (0, 4], the border 0..16 patches");
            }
        }

        /** Parses {@code SCALE:BORDER}, e.g. {@code 1.0:4}. */
        public static MoreScale parse(String s) {
            String[] p = s.strip().split(":");
            try {
                if (p.length == 2) {
                    return new MoreScale(Double.parseDouble(p[0]), Integer.parseInt(p[1]));
                }
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
            throw new IllegalArgumentException("'" + s + "' is not SCALE:BORDER (e.g. 1.0:4)");
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
        List<MemoryBank> banks = new ArrayList<>();
        try (Backbone backbone = Backbone.load(backboneOnnx, backboneName, o.threads())) {
            List<String> layers = o.layers().isEmpty() ? backbone.defaultLayers() : o.layers();
            for (String l : layers) {
                if (!backbone.taps().containsKey(l)) {
                    throw new IllegalArgumentException("layer '" + l + "' is not a tap of " + backboneName + " (taps: "
                            + backbone.taps().keySet() + ")");
                }
            }
            AnomalyModelInfo info = new AnomalyModelInfo(backboneName, AnomalyModel.sha256(backboneOnnx), layers,
                    o.inputWidth(), o.inputHeight(), o.scale(), o.standardise(), o.border(), AGGREGATION, o.topK(), o.mirror(), o.shift(), List.of(), 0, 1, 0, 0, 0, Double.NaN, o.targetFrr(), List.of(), List.of(),
                    List.of(), "");
            int total = images.size();
            List<double[]> scaleBorders = new ArrayList<>();
            scaleBorders.add(new double[] {o.scale(), o.border()});
            for (MoreScale m : o.moreScales()) {
                scaleBorders.add(new double[] {m.scale(), m.border()});
            }
            int scales = scaleBorders.size();
            List<float[]> bankRows = new ArrayList<>();
            long[] seen = new long[scales];
            int dim = 0;
            for (int si = 0; si < scales; si++) {
                double scale = scaleBorders.get(si)[0];
                String tag = scales == 1 ? "" : " @" + scale;
                List<float[]> perImage = new ArrayList<>(learn.size());
                long patches = 0;
                for (int i = 0; i < learn.size(); i++) {
                    BufferedImage image = FrameImages.read(learn.get(i));
                    for (BufferedImage view : o.views(image)) {
                        PatchFeatures f = named(learn.get(i), () -> AnomalyModel.features(backbone, layers,
                                o.standardise(), AGGREGATION, info.inputSizeAt(scale, view.getWidth(), view.getHeight()),
                                view));
                        dim = f.dim();
                        perImage.add(f.data());
                        patches += f.patches();
                    }
                    progress.update("features" + tag, i + 1, total);
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
                int[] chosen = Coreset.select(all, rows, dim, target, o.projectionDim(), o.seed(), o.threads(),
                        done -> progress.update("coreset" + tag, done, targetFinal));
                float[] chosenRows = new float[chosen.length * dim];
                for (int i = 0; i < chosen.length; i++) {
                    System.arraycopy(all, chosen[i] * dim, chosenRows, i * dim, dim);
                }
                all = null; // the learning patches are the largest allocation; free them before the next scale
                bankRows.add(chosenRows);
                // the search the model will run with, on CPU: the held-out scores are the ones it will give
                banks.add(MemoryBank.open(chosenRows, chosen.length, dim, backboneName + " bank" + tag, "cpu",
                        o.threads(), GpuSpec.DEFAULTS));
                seen[si] = rows;
            }
            // each scale's held-out good scores, then (with several scales) each scale in units of its own spread
            double[][] perScale = new double[scales][calib.size()];
            for (int si = 0; si < scales; si++) {
                AnomalyModelInfo one = new AnomalyModelInfo(backboneName, info.backboneSha256(), layers, o.inputWidth(),
                        o.inputHeight(), scaleBorders.get(si)[0], o.standardise(), (int) scaleBorders.get(si)[1],
                        AGGREGATION, o.topK(), o.mirror(), o.shift(), List.of(), 0, 1, dim, banks.get(si).size(), seen[si],
                        Double.NaN, o.targetFrr(), List.of(), List.of(), List.of(), "");
                AnomalyModel scorer = new AnomalyModel(one, backbone, List.of(banks.get(si)));
                for (int i = 0; i < calib.size(); i++) {
                    BufferedImage image = FrameImages.read(calib.get(i));
                    perScale[si][i] = named(calib.get(i), () -> scorer.score(image, Double.POSITIVE_INFINITY)).score();
                    progress.update("calibration", learn.size() + i + 1, total);
                }
            }
            double centre = 0;
            double spread = 1;
            List<AnomalyModelInfo.Scale> more = new ArrayList<>();
            double[] scores = perScale[0].clone();
            if (scales > 1) {
                scores = new double[calib.size()];
                for (int si = 0; si < scales; si++) {
                    double c = median(perScale[si]);
                    double sd = Math.max(1e-6, standardDeviation(perScale[si]));
                    for (int i = 0; i < calib.size(); i++) {
                        scores[i] += (perScale[si][i] - c) / sd;
                    }
                    if (si == 0) {
                        centre = c;
                        spread = sd;
                    } else {
                        more.add(new AnomalyModelInfo.Scale(scaleBorders.get(si)[0], (int) scaleBorders.get(si)[1],
                                banks.get(si).size(), seen[si], c, sd));
                    }
                }
            }
            Arrays.sort(scores);
            double threshold = threshold(scores, o.targetFrr());
            AnomalyModelInfo done = new AnomalyModelInfo(backboneName, info.backboneSha256(), layers, o.inputWidth(),
                    o.inputHeight(), o.scale(), o.standardise(), o.border(), AGGREGATION, o.topK(), o.mirror(), o.shift(), more,
                    centre, spread, dim, banks.getFirst().size(), seen[0], threshold, o.targetFrr(),
                    Arrays.stream(scores).boxed().toList(), names(learn), names(calib),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            AnomalyModel.write(out, done, backboneOnnx, bankRows);
            return done;
        } finally {
            banks.forEach(MemoryBank::close);
        }
    }

    /** The neighbourhood (cells) each layer is averaged over, as PatchCore does. */
    private static final int AGGREGATION = 3;

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double standardDeviation(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return v.length < 2 ? 0 : Math.sqrt(sq / (v.length - 1));
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

    /**
     * The image mirrored left to right, in its own type and colour model (a grey image stays grey, so the backbone
     * sees the same grey levels as in the original).
     */
    static BufferedImage mirrored(BufferedImage image) {
        int w = image.getWidth();
        return remapped(image, x -> w - 1 - x, y -> y);
    }

    /**
     * The image's content moved by {@code (dx, dy)} pixels, the strip it uncovers filled with the image's own pixels
     * reflected at its edge (the edge pixel not repeated), in the image's own type and colour model. Reflected, the
     * strip keeps the background's grain and sensor noise: a repeated edge row would be streaks the backbone has never
     * seen on the line, and the bank would not match a real part that sits there.
     */
    static BufferedImage shifted(BufferedImage image, int dx, int dy) {
        int w = image.getWidth();
        int h = image.getHeight();
        return remapped(image, x -> reflected(x - dx, w), y -> reflected(y - dy, h));
    }

    /** A new image of the same size, type and colour model whose pixel (x, y) is the source's (column(x), row(y)). */
    private static BufferedImage remapped(BufferedImage image, IntUnaryOperator column, IntUnaryOperator row) {
        int w = image.getWidth();
        int h = image.getHeight();
        java.awt.image.Raster src = image.getRaster();
        java.awt.image.WritableRaster dst = src.createCompatibleWritableRaster(w, h);
        int bands = src.getNumBands();
        int[] from = new int[w * bands];
        int[] to = new int[w * bands];
        int[] columns = new int[w];
        for (int x = 0; x < w; x++) {
            columns[x] = column.applyAsInt(x);
        }
        for (int y = 0; y < h; y++) {
            src.getPixels(0, row.applyAsInt(y), w, 1, from);
            for (int x = 0; x < w; x++) {
                System.arraycopy(from, columns[x] * bands, to, x * bands, bands);
            }
            dst.setPixels(0, y, w, 1, to);
        }
        return new BufferedImage(image.getColorModel(), dst, image.isAlphaPremultiplied(), null);
    }

    /** Index {@code i} reflected into {@code 0..n-1} about the edge pixels (..., 2, 1, 0, 1, 2, ...). */
    static int reflected(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** A backbone or scoring step on one learning image. */
    private interface Step<T> {
        T run() throws InferenceException;
    }

    /** Runs {@code step}; a failure names the image it failed on (learning refuses the whole set, writes nothing). */
    private static <T> T named(Path image, Step<T> step) throws InferenceException {
        try {
            return step.run();
        } catch (InferenceException e) {
            throw new InferenceException(e.code(), image + ": " + e.getMessage(), e);
        }
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }
}
