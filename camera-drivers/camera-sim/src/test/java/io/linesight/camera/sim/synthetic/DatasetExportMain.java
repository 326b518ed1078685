/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.api.TruthBox;
import io.linesight.config.PixelFormat;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes a labelled training or evaluation set from the synthetic camera; not a test (no assertions), run by hand
 * as training/README.md says. Each part is rendered exactly as {@link SyntheticCamera} renders the shot
 * {@code shotName} of the part {@code <prefix>-<n>} (same part key, same noise key), so a model trained here sees
 * what the demo station sees. Output: {@code images/<prefix>-<n>.png} (mono8), {@code labels/<prefix>-<n>.txt}
 * (YOLO: class cx cy w h, normalised; empty for a good part) and {@code classes.txt}.
 *
 * <pre>
 * DatasetExportMain --out DIR --seed 101 --parts 1500 [--defect-rate 0.5] [--width 1280] [--height 1024]
 *                   [--exposure 1000] [--exposure-jitter 0] [--prefix part] [--shot bright]
 * </pre>
 */
final class DatasetExportMain {
    private DatasetExportMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = parse(args);
        Path out = Path.of(require(a, "out"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        int n = Integer.parseInt(require(a, "parts"));
        double rate = Double.parseDouble(a.getOrDefault("defect-rate", "0.5"));
        int w = Integer.parseInt(a.getOrDefault("width", "1280"));
        int h = Integer.parseInt(a.getOrDefault("height", "1024"));
        double exposure = Double.parseDouble(a.getOrDefault("exposure", "1000"));
        double jitter = Double.parseDouble(a.getOrDefault("exposure-jitter", "0"));
        String prefix = a.getOrDefault("prefix", "part");
        String shotName = a.getOrDefault("shot", "bright");

        Path images = Files.createDirectories(out.resolve("images"));
        Path labels = Files.createDirectories(out.resolve("labels"));
        List<String> classes = List.of(PartGenerator.TYPES);
        Files.write(out.resolve("classes.txt"), classes);

        SyntheticRenderer renderer = new SyntheticRenderer(w, h, PixelFormat.MONO8, seed, rate);
        ByteBuffer frame = ByteBuffer.allocateDirect(w * h);
        // exposure jitter is drawn from the seed, so the set is the same on every run
        SplittableRandom exposureRng = new SplittableRandom(PartGenerator.mix(seed, 0x5eedL));
        long shot = PartGenerator.partKey(shotName);
        int[] perClass = new int[classes.size()];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "%s-%05d", prefix, i);
            long key = PartGenerator.partKey(id);
            double e = jitter > 0 ? exposure * (1 + (exposureRng.nextDouble() * 2 - 1) * jitter) : exposure;
            List<TruthBox> truth = renderer.render(key, e, PartGenerator.mix(key, shot), frame);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            frame.get(0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
            ImageIO.write(img, "png", images.resolve(id + ".png").toFile());
            List<String> lines = new ArrayList<>();
            for (TruthBox b : truth) {
                int c = classes.indexOf(b.label());
                perClass[c]++;
                lines.add(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f", c, (b.x1() + b.x2()) / 2 / w,
                        (b.y1() + b.y2()) / 2 / h, (b.x2() - b.x1()) / w, (b.y2() - b.y1()) / h));
            }
            Files.write(labels.resolve(id + ".txt"), lines);
        }
        System.out.printf(Locale.ROOT, "%d parts (seed %d, defect rate %.2f, %dx%d) in %.1f s; defects: %s%n", n, seed,
                rate, w, h, (System.nanoTime() - t0) / 1e9, perClassText(classes, perClass));
    }

    private static String perClassText(List<String> classes, int[] counts) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            b.append(c == 0 ? "" : ", ").append(classes.get(c)).append(' ').append(counts[c]);
        }
        return b.toString();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static String require(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
