/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import io.linesight.config.recipe.ModelSpec.GpuSpec;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FiniteValues;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A PatchCore-style anomaly model learned from good parts only: a frozen ONNX backbone gives stride-8 and stride-16
 * features, averaged over 3x3 patches and concatenated; each patch's distance to its nearest neighbour in a memory
 * bank of good patches is its anomaly score; the image score is the mean of the few largest ones
 * ({@link AnomalyModelInfo#topK()}).
 *
 * <p>The model is one file, a zip with three entries: {@code model.json} ({@link AnomalyModelInfo}), {@code backbone.onnx}
 * (the tapped backbone, its SHA-256 in the metadata and checked on load) and {@code bank.f32} (the memory bank,
 * {@code bankSize x featureDim} little-endian float32). So a model file carries everything it needs; no backbone is
 * looked up elsewhere.
 *
 * <p>Not thread-safe: one instance per scoring thread. {@link #score} blocks for one backbone pass and one bank
 * search. {@link #close()} releases the ONNX Runtime session; idempotent.
 */
public final class AnomalyModel implements AutoCloseable {
    static final String INFO = "model.json";
    static final String BACKBONE = "backbone.onnx";
    static final String BANK = "bank.f32";

    private final AnomalyModelInfo info;
    private final Backbone backbone;
    /** The first scale's bank, then one per {@link AnomalyModelInfo#scales()} entry. */
    private final List<MemoryBank> banks;

    AnomalyModel(AnomalyModelInfo info, Backbone backbone, List<MemoryBank> banks) {
        if (banks.size() != 1 + info.scales().size()) {
            throw new IllegalArgumentException(banks.size() + " memory banks for " + (1 + info.scales().size()) + " scales");
        }
        this.info = info;
        this.backbone = backbone;
        this.banks = List.copyOf(banks);
    }

    /** The bank entry of scale {@code i} (0: the first scale). */
    static String bankEntry(int i) {
        return i == 0 ? BANK : "bank-" + i + ".f32";
    }

    public AnomalyModelInfo info() {
        return info;
    }

    /** The execution provider the backbone really runs on: {@code CPU}, {@code CUDA} or {@code TensorRT}. */
    public String provider() {
        return backbone.provider();
    }

    /** The execution provider the memory bank search really runs on: {@code CPU}, {@code CUDA} or {@code TensorRT}. */
    public String searchProvider() {
        return banks.getFirst().provider();
    }

    /**
     * What a model was learned with, for learning another like it ({@code learn-good --like}).
     *
     * @param info     its metadata
     * @param backbone its backbone's ONNX bytes (checked against the metadata's SHA-256)
     */
    public record Learning(AnomalyModelInfo info, byte[] backbone) {
    }

    /**
     * Reads a model file's metadata and backbone, not its memory bank, and loads nothing into ONNX Runtime.
     *
     * @throws InferenceException {@code LOAD_FAILED} naming the file and what is wrong with it
     */
    public static Learning learning(Path file) throws InferenceException {
        Map<String, byte[]> entries = entries(file);
        return new Learning(info(file, entries), entries.get(BACKBONE));
    }

    /**
     * Opens a model file.
     *
     * @param threads ONNX Runtime intra-op threads for the backbone
     * @throws InferenceException {@code LOAD_FAILED} naming the file and what is wrong with it
     */
    public static AnomalyModel open(Path file, int threads) throws InferenceException {
        return open(file, threads, "cpu", GpuSpec.DEFAULTS);
    }

    /**
     * Opens a model file with its backbone on the requested execution provider ({@code cpu}, {@code cuda},
     * {@code tensorrt}), by the detectors' rules: a GPU provider that cannot start falls back to CPU with a warning
     * unless {@code gpu.cpuFallback} is false, then the model is refused. The memory bank search runs where the
     * backbone runs (the same rules, the same provider).
     *
     * @throws InferenceException {@code LOAD_FAILED} naming the file and what is wrong with it
     */
    public static AnomalyModel open(Path file, int threads, String provider, GpuSpec gpu) throws InferenceException {
        Map<String, byte[]> entries = entries(file);
        AnomalyModelInfo info = info(file, entries);
        byte[] onnx = entries.get(BACKBONE);
        List<float[]> bankRows = new java.util.ArrayList<>();
        for (int i = 0; i <= info.scales().size(); i++) {
            bankRows.add(bankRows(file, info, i, entries.get(bankEntry(i))));
        }
        Backbone b = Backbone.load(onnx, file + "!" + BACKBONE, threads, provider, gpu);
        List<MemoryBank> banks = new java.util.ArrayList<>();
        try {
            for (String layer : info.layers()) {
                if (!b.taps().containsKey(layer)) {
                    throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": layer '" + layer
                            + "' of model.json is not a tap of its backbone (taps: " + b.taps().keySet() + ")");
                }
            }
            for (int i = 0; i < bankRows.size(); i++) {
                banks.add(MemoryBank.open(bankRows.get(i), bankRows.get(i).length / info.featureDim(),
                        info.featureDim(), file + "!" + bankEntry(i) + " (search graph)", provider, threads, gpu));
            }
            return new AnomalyModel(info, b, banks);
        } catch (InferenceException | RuntimeException e) {
            banks.forEach(MemoryBank::close);
            b.close();
            throw e;
        }
    }

    /** Scale {@code i}'s bank from its entry, checked against model.json: its size, and every value a number. */
    private static float[] bankRows(Path file, AnomalyModelInfo info, int i, byte @Nullable [] raw)
            throws InferenceException {
        String entry = bankEntry(i);
        int size = i == 0 ? info.bankSize() : info.scales().get(i - 1).bankSize();
        long expected = (long) size * info.featureDim() * Float.BYTES;
        if (raw == null || raw.length != expected || size == 0) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + "!" + entry + ": "
                    + (raw == null ? "missing" : raw.length + " bytes") + ", model.json says " + size + " x "
                    + info.featureDim() + " float32 (" + expected + ")");
        }
        float[] rows = new float[size * info.featureDim()];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(rows);
        if (!FiniteValues.all(rows, 0, rows.length)) {
            int bad = 0;
            while (Float.isFinite(rows[bad])) {
                bad++;
            }
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + "!" + entry + ": row "
                    + bad / info.featureDim() + " holds " + rows[bad] + ": every distance to it would be meaningless");
        }
        return rows;
    }

    private static Map<String, byte[]> entries(Path file) throws InferenceException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": cannot read the anomaly model: "
                    + e.getMessage(), e);
        }
        for (String name : List.of(INFO, BACKBONE, BANK)) {
            if (!entries.containsKey(name)) {
                throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + ": not an anomaly model file "
                        + "(no entry '" + name + "'; found " + entries.keySet() + ")");
            }
        }
        return entries;
    }

    /** The metadata, once the backbone's bytes match its SHA-256. */
    private static AnomalyModelInfo info(Path file, Map<String, byte[]> entries) throws InferenceException {
        AnomalyModelInfo info;
        try {
            info = AnomalyModelInfo.fromJson(new String(entries.get(INFO), java.nio.charset.StandardCharsets.UTF_8),
                    file + "!" + INFO);
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, e.getMessage(), e);
        }
        String sha = sha256(entries.get(BACKBONE));
        if (!sha.equals(info.backboneSha256())) {
            throw new InferenceException(InferenceException.Code.LOAD_FAILED, file + "!" + BACKBONE + ": SHA-256 " + sha
                    + " differs from model.json backboneSha256 " + info.backboneSha256());
        }
        return info;
    }

    /** Scores one image against the model's own threshold. */
    public AnomalyResult score(BufferedImage image) throws InferenceException {
        return score(image, info.threshold());
    }

    /** Scores one image; {@code threshold} decides {@code anomalous} and the region. */
    public AnomalyResult score(BufferedImage image, double threshold) throws InferenceException {
        return score(image, threshold, null);
    }

    /**
     * Scores one image, leaving out the patches that {@code ignore} mostly covers (fixtures, edges): they read 0 on
     * the map and count neither for the score nor for the region.
     *
     * @param ignore one flag per image pixel, row-major ({@code true}: ignore), or null to score every patch
     * @throws IllegalArgumentException when {@code ignore} is not the image's size
     */
    public AnomalyResult score(BufferedImage image, double threshold, boolean @Nullable [] ignore) throws InferenceException {
        if (ignore != null && ignore.length != image.getWidth() * image.getHeight()) {
            throw new IllegalArgumentException("ignore mask has " + ignore.length + " pixels, the image "
                    + image.getWidth() + "x" + image.getHeight());
        }
        if (info.scales().isEmpty()) {
            Scored one = scoreAt(image, info.scale(), info.border(), banks.getFirst(), ignore);
            float[] map = smooth(one.distances(), one.height(), one.width());
            return result(image, threshold, one.score(), map, one.width(), one.height());
        }
        // several scales: each scale's score and map in units of its good images' spread, summed on the finest grid
        Scored first = scoreAt(image, info.scale(), info.border(), banks.getFirst(), ignore);
        List<Scored> all = new java.util.ArrayList<>(List.of(first));
        List<double[]> units = new java.util.ArrayList<>();
        units.add(new double[] {info.centre(), info.spread()});
        for (int i = 0; i < info.scales().size(); i++) {
            AnomalyModelInfo.Scale sc = info.scales().get(i);
            all.add(scoreAt(image, sc.scale(), sc.border(), banks.get(i + 1), ignore));
            units.add(new double[] {sc.centre(), sc.spread()});
        }
        Scored finest = all.stream().max(java.util.Comparator.comparingInt(x -> x.width() * x.height())).orElseThrow();
        int w = finest.width();
        int h = finest.height();
        double score = 0;
        float[] map = new float[w * h];
        for (int i = 0; i < all.size(); i++) {
            Scored x = all.get(i);
            double centre = units.get(i)[0];
            double spread = units.get(i)[1];
            score += (x.score() - centre) / spread;
            float[] m = smooth(x.distances(), x.height(), x.width());
            float[] onFinest = new float[w * h];
            PatchFeatures.resizePlanes(m, 1, x.height(), x.width(), onFinest, h, w);
            for (int p = 0; p < map.length; p++) {
                map[p] += (float) ((onFinest[p] - centre) / spread);
            }
        }
        for (int p = 0; p < map.length; p++) {
            map[p] = Math.max(0, map[p]); // below the good images' typical level: nothing to show
        }
        return result(image, threshold, score, map, w, h);
    }

    /** One scale's patch distances (border and ignored patches at 0) and its image score. */
    private record Scored(float[] distances, int width, int height, double score) {
    }

    private Scored scoreAt(BufferedImage image, double scale, int border, MemoryBank bank, boolean @Nullable [] ignore)
            throws InferenceException {
        PatchFeatures f = features(backbone, info.layers(), info.standardise(), info.aggregation(),
                info.inputSizeAt(scale, image.getWidth(), image.getHeight()), image);
        if (f.dim() != bank.dim()) {
            throw new InferenceException(InferenceException.Code.UNSUPPORTED_MODEL, "patch features have " + f.dim()
                    + " values, the memory bank " + bank.dim());
        }
        float[] raw = bank.nearestDistances(f.data(), f.patches());
        clearBorder(raw, f.height(), f.width(), border);
        if (ignore != null) {
            clearIgnored(raw, f.width(), f.height(), ignore, image.getWidth(), image.getHeight());
        }
        return new Scored(raw, f.width(), f.height(), imageScore(raw, info.topK()));
    }

    private static AnomalyResult result(BufferedImage image, double threshold, double score, float[] map, int w, int h)
            throws InferenceException {
        if (!Double.isFinite(score)) {
            // a NaN would compare as "not above the threshold": a part nobody could judge would pass
            throw new InferenceException(InferenceException.Code.RUN_FAILED, "anomaly score is " + score
                    + ": the image cannot be judged");
        }
        boolean anomalous = score > threshold;
        AnomalyResult.Region region = region(map, w, h, threshold, image.getWidth(), image.getHeight());
        return new AnomalyResult(score, threshold, anomalous, image.getWidth(), image.getHeight(), w, h, map, region);
    }

    /**
     * The mean of the {@code k} largest patch distances (all of them when there are fewer). With k above 1 one odd
     * patch of a good part counts less than a defect that spans a few patches.
     */
    static double imageScore(float[] distances, int k) {
        if (k <= 1) {
            double max = 0;
            for (float v : distances) {
                max = Math.max(max, v);
            }
            return max;
        }
        float[] sorted = distances.clone();
        java.util.Arrays.sort(sorted);
        int n = Math.min(k, sorted.length);
        double sum = 0;
        for (int i = sorted.length - n; i < sorted.length; i++) {
            sum += sorted[i];
        }
        return sum / n;
    }

    static PatchFeatures features(Backbone backbone, AnomalyModelInfo info, BufferedImage image) throws InferenceException {
        return features(backbone, info.layers(), info.standardise(), info.aggregation(),
                info.inputSize(image.getWidth(), image.getHeight()), image);
    }

    static PatchFeatures features(Backbone backbone, List<String> layers, boolean standardise, int aggregation,
                                  int[] size, BufferedImage image) throws InferenceException {
        List<FeatureMap> maps = backbone.extract(image, size[0], size[1], layers, standardise);
        return PatchFeatures.of(maps, aggregation);
    }

    /** Sets the outer {@code border} rings of patches to 0 (left out of score and region); a grid too small keeps one. */
    static void clearBorder(float[] m, int h, int w, int border) {
        int b = Math.min(border, Math.min((h - 1) / 2, (w - 1) / 2));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y < b || y >= h - b || x < b || x >= w - b) {
                    m[y * w + x] = 0;
                }
            }
        }
    }

    /** Sets to 0 every patch of which at least half the image pixels are ignored. */
    static void clearIgnored(float[] m, int w, int h, boolean[] ignore, int imageWidth, int imageHeight) {
        for (int gy = 0; gy < h; gy++) {
            int y0 = (int) ((long) gy * imageHeight / h);
            int y1 = Math.max(y0 + 1, (int) ((long) (gy + 1) * imageHeight / h));
            for (int gx = 0; gx < w; gx++) {
                int x0 = (int) ((long) gx * imageWidth / w);
                int x1 = Math.max(x0 + 1, (int) ((long) (gx + 1) * imageWidth / w));
                int ignored = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        if (ignore[y * imageWidth + x]) {
                            ignored++;
                        }
                    }
                }
                if (2 * ignored >= (y1 - y0) * (x1 - x0)) {
                    m[gy * w + gx] = 0;
                }
            }
        }
    }

    /** A 3x3 binomial blur over the patch grid: one odd patch should not outshine a coherent region on the map. */
    static float[] smooth(float[] m, int h, int w) {
        return blur(blur(m, h, w, 1, 0), h, w, 0, 1);
    }

    /** One pass of the [1 2 1] / 4 kernel along (dx, dy); at the edges the kernel is renormalised. */
    private static float[] blur(float[] m, int h, int w, int dx, int dy) {
        float[] out = new float[m.length];
        float[] k = {0.25f, 0.5f, 0.25f};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                float n = 0;
                for (int d = -1; d <= 1; d++) {
                    int xx = x + d * dx;
                    int yy = y + d * dy;
                    if (xx >= 0 && xx < w && yy >= 0 && yy < h) {
                        s += k[d + 1] * m[yy * w + xx];
                        n += k[d + 1];
                    }
                }
                out[y * w + x] = s / n;
            }
        }
        return out;
    }

    /** The connected patches at or above the threshold around the map's peak, as an image-pixel box. */
    static AnomalyResult.Region region(float[] map, int w, int h, double threshold, int imageWidth, int imageHeight) {
        int peak = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[peak]) {
                peak = i;
            }
        }
        int x0 = peak % w;
        int x1 = x0;
        int y0 = peak / w;
        int y1 = y0;
        if (map[peak] > threshold) {
            boolean[] seen = new boolean[map.length];
            ArrayDeque<Integer> todo = new ArrayDeque<>();
            todo.add(peak);
            seen[peak] = true;
            while (!todo.isEmpty()) {
                int c = todo.poll();
                int cx = c % w;
                int cy = c / w;
                x0 = Math.min(x0, cx);
                x1 = Math.max(x1, cx);
                y0 = Math.min(y0, cy);
                y1 = Math.max(y1, cy);
                int[][] nb = {{cx - 1, cy}, {cx + 1, cy}, {cx, cy - 1}, {cx, cy + 1}};
                for (int[] p : nb) {
                    if (p[0] >= 0 && p[0] < w && p[1] >= 0 && p[1] < h) {
                        int i = p[1] * w + p[0];
                        if (!seen[i] && map[i] > threshold) {
                            seen[i] = true;
                            todo.add(i);
                        }
                    }
                }
            }
        }
        int px0 = (int) Math.floor((double) x0 * imageWidth / w);
        int py0 = (int) Math.floor((double) y0 * imageHeight / h);
        int px1 = (int) Math.ceil((double) (x1 + 1) * imageWidth / w);
        int py1 = (int) Math.ceil((double) (y1 + 1) * imageHeight / h);
        return new AnomalyResult.Region(px0, py0, Math.max(1, px1 - px0), Math.max(1, py1 - py0));
    }

    /** Writes a model file atomically (a temporary file beside it, then a move), so a reader never sees half of one. */
    static void write(Path file, AnomalyModelInfo info, byte[] backboneOnnx, float[] bankRows) throws IOException {
        write(file, info, backboneOnnx, List.of(bankRows));
    }

    /** As {@link #write(Path, AnomalyModelInfo, byte[], float[])} with one bank per scale, the first scale's first. */
    static void write(Path file, AnomalyModelInfo info, byte[] backboneOnnx, List<float[]> banks) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile: its owner-only permissions would stay on the model and hide it from the station's user
        Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                zip.putNextEntry(new ZipEntry(INFO));
                zip.write(info.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(BACKBONE));
                zip.write(backboneOnnx);
                zip.closeEntry();
                for (int i = 0; i < banks.size(); i++) {
                    zip.putNextEntry(new ZipEntry(bankEntry(i)));
                    ByteBuffer bb = ByteBuffer.allocate(banks.get(i).length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    bb.asFloatBuffer().put(banks.get(i));
                    zip.write(bb.array());
                    zip.closeEntry();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The backbone shipped with the station (MobileNetV2 INT8 with stride-8/16 taps; see its MANIFEST.md). */
    public static byte[] bundledBackbone() throws IOException {
        try (InputStream in = AnomalyModel.class.getResourceAsStream(BUNDLED_BACKBONE)) {
            if (in == null) {
                throw new IOException("the bundled backbone " + BUNDLED_BACKBONE + " is missing from the class path");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Resource name of the bundled backbone. */
    public static final String BUNDLED_BACKBONE = "mobilenetv2-int8-taps.onnx";

    @Override
    public void close() {
        backbone.close();
        banks.forEach(MemoryBank::close);
    }
}
