/* SPDX-License-Identifier: Apache-2.0 */
import ai.onnxruntime.OrtSession;
import io.linesight.camera.api.Frame;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.OnnxDetector;
import io.linesight.inference.onnx.Tiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One model on one execution provider, as the station runs it: {@code java -cp CLASSPATH GpuBench.java PROVIDER
 * LABEL MODEL.onnx FRAME_W FRAME_H [BUS.jpg] [TILE_SIZE]} prints Markdown table rows (see benchmarks/gpu/run.sh):
 *
 * <ul>
 *   <li>model only: a bare {@code OrtSession.run} on the detector's prepared input ({@link OnnxDetector#runPrepared});
 *   <li>{@code detect()}: letterbox of the frame, the run, decode and NMS; measured interleaved with the bare run, one
 *       of each per round, so that both see the same machine and their ratio is fair on a busy one;
 *   <li>tiles: {@code detect()} on a 2448x2048 frame cut into overlapping tiles of TILE_SIZE (one batch when the model
 *       has a dynamic batch, else one run per tile).
 * </ul>
 * The frame is BUS.jpg in grey when given, else a synthetic grey pattern of FRAME_W x FRAME_H (a model's time does
 * not depend on what the picture shows; NMS barely does). Medians of the rounds after warm-up.
 */
public final class GpuBench {
    private static final int WARMUP = 10;
    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "12"));

    private GpuBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: GpuBench PROVIDER LABEL MODEL.onnx FRAME_W FRAME_H [BUS.jpg|-] [TILE_SIZE]");
            System.exit(2);
        }
        String provider = args[0];
        String label = args[1];
        Path model = Path.of(args[2]);
        int fw = Integer.parseInt(args[3]);
        int fh = Integer.parseInt(args[4]);
        Path picture = args.length > 5 && !args[5].equals("-") ? Path.of(args[5]) : null;
        int tile = args.length > 6 ? Integer.parseInt(args[6]) : 0;

        try (Frame frame = picture != null ? FrameImages.toMono8Frame(FrameImages.read(picture)) : pattern(fw, fh);
             OnnxDetector d = OnnxDetector.open(spec(provider, null), model)) {
            String ran = d.info().executionProvider();
            d.detect(frame); // leaves this frame's tensor prepared for runPrepared
            double[][] t = interleaved(d, frame);
            double bare = median(t[0]);
            double detect = median(t[1]);
            row(label, ran, "batch 1, " + frame.width() + "x" + frame.height() + " frame", "bare `OrtSession.run`", bare,
                    t[0].length, "model only");
            row(label, ran, "batch 1, " + frame.width() + "x" + frame.height() + " frame", "`detect()`", detect,
                    t[1].length, String.format(Locale.ROOT, "**%.3fx** the bare run", detect / bare));
            if (tile > 0) {
                try (Frame big = pattern(2448, 2048);
                     OnnxDetector tiled = OnnxDetector.open(spec(provider, new ModelSpec.TilingSpec(tile, 64, false)), model)) {
                    int tiles = Tiles.cover(2448, 2048, tile, 64).size();
                    double[] tt = timed(() -> tiled.detect(big));
                    double ms = median(tt);
                    row(label, tiled.info().executionProvider(), tiles + " tiles of " + tile + " on 2448x2048"
                                    + (tiled.dynamicBatch() ? " (one batch)" : " (one run each: static batch)"),
                            "`detect()` tiled", ms, tt.length,
                            String.format(Locale.ROOT, "%.1f tiles/s", tiles * 1000 / ms));
                }
            }
        }
    }

    private static ModelSpec spec(String provider, ModelSpec.TilingSpec tiling) {
        return new ModelSpec("bench.onnx", List.of(), 0.25, Map.of(), 0.45, false, 100, List.of(), tiling, provider, 1, 2,
                null, true, null);
    }

    private interface Work {
        void run() throws Exception;
    }

    /** [0]: bare runs, [1]: detect() calls, alternating, for SECONDS after WARMUP rounds. */
    private static double[][] interleaved(OnnxDetector d, Frame frame) throws Exception {
        Work bare = () -> {
            try (OrtSession.Result r = d.runPrepared()) {
                if (r.size() == 0) {
                    throw new IllegalStateException("no output");
                }
            }
        };
        Work detect = () -> d.detect(frame);
        for (int i = 0; i < WARMUP; i++) {
            bare.run();
            detect.run();
        }
        double[] a = new double[100_000];
        double[] b = new double[100_000];
        int n = 0;
        long end = System.nanoTime() + (long) (SECONDS * 1e9);
        while (n < a.length && (n < 20 || System.nanoTime() < end)) {
            a[n] = once(bare);
            b[n] = once(detect);
            n++;
        }
        return new double[][] {Arrays.copyOf(a, n), Arrays.copyOf(b, n)};
    }

    private static double[] timed(Work w) throws Exception {
        for (int i = 0; i < Math.max(2, WARMUP / 2); i++) {
            w.run();
        }
        double[] a = new double[100_000];
        int n = 0;
        long end = System.nanoTime() + (long) (SECONDS * 1e9 / 2);
        while (n < a.length && (n < 10 || System.nanoTime() < end)) {
            a[n++] = once(w);
        }
        return Arrays.copyOf(a, n);
    }

    private static double once(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void row(String model, String provider, String input, String what, double medianMs, int n, String note) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.1f | %d | %s |%n", model, provider, input, what,
                medianMs, 1000 / medianMs, n, note);
    }

    /** A grey test card: gradient, a few bright and dark blobs, sensor-like noise from a fixed seed. */
    private static Frame pattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        java.util.Random rnd = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 60 + (x * 100 / w) + (y * 40 / h) + rnd.nextInt(9) - 4;
                if (((x / 97) + (y / 89)) % 7 == 0) {
                    v += 60;
                }
                px[y * w + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return FrameImages.toMono8Frame(img);
    }
}
