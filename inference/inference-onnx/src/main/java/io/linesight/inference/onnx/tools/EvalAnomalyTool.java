/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.anomaly.AnomalyModel;
import io.linesight.inference.onnx.anomaly.AnomalyModelInfo;
import io.linesight.inference.onnx.anomaly.AnomalyResult;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * {@code eval-anomaly --model MODEL --good DIR|LIST --defects DIR|LIST [--masks]}: how well an anomaly model separates
 * good from defective images: image AUROC, detection rate at 1 % and 5 % false rejects (the threshold set on these
 * good images), at the model's own threshold, best F1, per defect class (the first folder below {@code --defects}),
 * and with {@code --masks} pixel AUROC against the defects' pixel masks (good images count as all-good pixels).
 * {@code --scores FILE.csv} writes every image's score (image, class, score, and whether it is above the model's own
 * threshold), for a look at the images that score highest or for a threshold of one's own.
 */
public final class EvalAnomalyTool {
    static final String USAGE = "usage: eval-anomaly --model MODEL --good DIR|LIST.txt --defects DIR|LIST.txt [--root DIR] "
            + "[--masks] [--threads N] [--record] [--scores FILE.csv]";

    private EvalAnomalyTool() {
    }

    /** One scored image. */
    private record Scored(Path image, String label, AnomalyResult result) {
    }

    /** @return 0 on success, 2 on a usage error, 1 when the model or the images cannot be used */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ToolArgs a;
        Path modelFile;
        Path goodSet;
        Path defectSet;
        try {
            a = new ToolArgs(args, Set.of("model", "good", "defects", "root", "threads", "scores"), Set.of("masks", "record"));
            modelFile = Path.of(a.required("model"));
            goodSet = Path.of(a.required("good"));
            defectSet = Path.of(a.required("defects"));
        } catch (ToolArgs.UsageException e) {
            err.println("eval-anomaly: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String rootOpt = a.optional("root");
        Path root = rootOpt == null ? null : Path.of(rootOpt);
        int threads;
        try {
            threads = (int) a.whole("threads", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 256);
        } catch (ToolArgs.UsageException e) {
            err.println("eval-anomaly: " + e.getMessage());
            return 2;
        }
        try (AnomalyModel model = AnomalyModel.open(modelFile, threads)) {
            List<ImageSets.Item> good = ImageSets.items(goodSet, root);
            List<ImageSets.Item> defects = ImageSets.items(defectSet, root);
            boolean masks = a.flag("masks");
            if (masks) {
                for (ImageSets.Item d : defects) {
                    if (ImageSets.mask(d.image()) == null) {
                        err.println("eval-anomaly: --masks: " + d.image() + " has no mask (NAME.png beside it, or NAME_mask.png)");
                        return 1;
                    }
                }
            }
            AnomalyModelInfo info = model.info();
            err.printf(Locale.ROOT, "eval-anomaly: %d good, %d defective images%n", good.size(), defects.size());
            long t0 = System.nanoTime();
            List<Scored> g = score(model, good, err, 0, good.size() + defects.size());
            List<Scored> d = score(model, defects, err, good.size(), good.size() + defects.size());
            double msPerImage = (System.nanoTime() - t0) / 1e6 / (good.size() + defects.size());
            double[] neg = g.stream().mapToDouble(s -> s.result().score()).toArray();

            out.printf(Locale.ROOT, "model: %s (%s, layers %s, input %s, bank %d x %d, threshold %.4f for %.1f %% false rejects)%n",
                    modelFile, info.backbone(), info.layers(),
                    info.scale() > 0 ? "scaled by " + info.scale() : info.inputWidth() + "x" + info.inputHeight(),
                    info.bankSize(), info.featureDim(), info.threshold(), 100 * info.targetFrr());
            out.printf(Locale.ROOT, "good images: %d; at the model threshold %.1f %% of them are rejected%n", neg.length,
                    100 * AnomalyMetrics.rateAbove(neg, info.threshold()));
            double t1 = AnomalyMetrics.thresholdAt(neg, 0.01);
            double t5 = AnomalyMetrics.thresholdAt(neg, 0.05);
            out.printf(Locale.ROOT, "%-16s %7s %7s %11s %11s %11s%n", "class", "images", "AUROC", "det@1%FR", "det@5%FR",
                    "det@model");
            Map<String, List<Double>> byClass = new LinkedHashMap<>();
            StringBuilder perClass = new StringBuilder();
            byClass.put("all", new ArrayList<>());
            for (Scored s : d) {
                byClass.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s.result().score());
                byClass.get("all").add(s.result().score());
            }
            for (Map.Entry<String, List<Double>> e : byClass.entrySet()) {
                double[] pos = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                out.printf(Locale.ROOT, "%-16s %7d %7.4f %10.1f%% %10.1f%% %10.1f%%%n", e.getKey(), pos.length,
                        AnomalyMetrics.auroc(neg, pos), 100 * AnomalyMetrics.rateAbove(pos, t1),
                        100 * AnomalyMetrics.rateAbove(pos, t5), 100 * AnomalyMetrics.rateAbove(pos, info.threshold()));
                perClass.append(perClass.isEmpty() ? "" : ",").append("{\"class\":").append(ToolArgs.json(e.getKey()))
                        .append(",\"images\":").append(pos.length)
                        .append(",\"auroc\":").append(ToolArgs.num(AnomalyMetrics.auroc(neg, pos)))
                        .append(",\"detectionAt1pctFrr\":").append(ToolArgs.num(AnomalyMetrics.rateAbove(pos, t1)))
                        .append(",\"detectionAt5pctFrr\":").append(ToolArgs.num(AnomalyMetrics.rateAbove(pos, t5)))
                        .append(",\"detectionAtModelThreshold\":")
                        .append(ToolArgs.num(AnomalyMetrics.rateAbove(pos, info.threshold()))).append('}');
            }
            double[] allPos = byClass.get("all").stream().mapToDouble(Double::doubleValue).toArray();
            out.printf(Locale.ROOT, "false rejects realised: %.1f %% at the 1 %% threshold (%.4f), %.1f %% at the 5 %% "
                    + "threshold (%.4f)%n", 100 * AnomalyMetrics.rateAbove(neg, t1), t1, 100 * AnomalyMetrics.rateAbove(neg, t5), t5);
            double[] f1 = AnomalyMetrics.bestF1(neg, allPos);
            out.printf(Locale.ROOT, "best F1: %.4f at threshold %.4f%n", f1[0], f1[1]);
            double pixel = masks ? pixelAuroc(g, d) : Double.NaN;
            if (masks) {
                out.printf(Locale.ROOT, "pixel AUROC: %.4f (%d images with masks)%n", pixel, g.size() + d.size());
            }
            if (a.flag("record")) {
                String body = ",\"imageAuroc\":" + ToolArgs.num(AnomalyMetrics.auroc(neg, allPos))
                        + ",\"pixelAuroc\":" + ToolArgs.num(pixel)
                        + ",\"bestF1\":" + ToolArgs.num(f1[0])
                        + ",\"threshold\":" + ToolArgs.num(info.threshold())
                        + ",\"thresholdAt1pctFrr\":" + ToolArgs.num(t1) + ",\"thresholdAt5pctFrr\":" + ToolArgs.num(t5)
                        + ",\"falseRejectAtModelThreshold\":" + ToolArgs.num(AnomalyMetrics.rateAbove(neg, info.threshold()))
                        + ",\"escapeRate\":" + ToolArgs.num(1 - AnomalyMetrics.rateAbove(allPos, info.threshold()))
                        + ",\"overkillRate\":" + ToolArgs.num(AnomalyMetrics.rateAbove(neg, info.threshold()))
                        + ",\"goodImages\":" + neg.length + ",\"defectImages\":" + allPos.length
                        + ",\"perClass\":[" + perClass + "]";
                Path file = writeRecord(modelFile, goodSet + " + " + defectSet, neg.length + allPos.length, body, args);
                out.println("evaluation record written: " + file);
            }
            String scoresOpt = a.optional("scores");
            if (scoresOpt != null) {
                Path file = Path.of(scoresOpt);
                writeScores(file, g, d);
                out.println("scores written: " + file + " (" + (g.size() + d.size()) + " images)");
            }
            out.printf(Locale.ROOT, "inference: %.1f ms per image (decode, resize, backbone, bank search; %d threads)%n",
                    msPerImage, threads);
            return 0;
        } catch (IOException | InferenceException e) {
            err.println("eval-anomaly: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Writes the model's evaluation record beside it ({@code <model>.eval.json}, through a temporary file), tied to
     * this exact file by its SHA-256: a recipe's {@code anomaly:} section runs only a model that has one.
     */
    static Path writeRecord(Path model, String dataset, int images, String body, List<String> args) throws IOException {
        String json = "{\"sha256\":" + ToolArgs.json(EvaluationRecord.sha256(model))
                + ",\"kind\":\"anomaly\""
                + ",\"evaluatedAt\":" + ToolArgs.json(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                + ",\"command\":" + ToolArgs.json("eval-anomaly " + String.join(" ", args))
                + ",\"dataset\":" + ToolArgs.json(dataset) + ",\"images\":" + images + body + "}\n";
        Path file = EvaluationRecord.fileFor(model.toAbsolutePath());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static List<Scored> score(AnomalyModel model, List<ImageSets.Item> items, PrintStream err, int offset, int total)
            throws IOException, InferenceException {
        List<Scored> out = new ArrayList<>(items.size());
        int step = Math.max(1, total / 10);
        for (ImageSets.Item it : items) {
            BufferedImage img = FrameImages.read(it.image());
            out.add(new Scored(it.image(), it.label(), model.score(img)));
            int done = offset + out.size();
            if (done % step == 0) {
                err.printf(Locale.ROOT, "eval-anomaly: %d/%d images%n", done, total);
            }
        }
        return out;
    }

    /** One line an image: path, class ({@code good} or the defect's), score, above the model's own threshold. */
    static void writeScores(Path file, List<Scored> good, List<Scored> defects) throws IOException {
        StringBuilder b = new StringBuilder("image,class,score,anomalous\n");
        for (List<Scored> l : List.of(good, defects)) {
            for (Scored s : l) {
                b.append(csv(s.image().toString())).append(',').append(csv(l == good ? "good" : s.label())).append(',')
                        .append(ToolArgs.num(s.result().score())).append(',').append(s.result().anomalous()).append('\n');
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, b);
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /** Pixel AUROC: every pixel of every image, the map resized to the mask; good images without a mask are all good. */
    private static double pixelAuroc(List<Scored> good, List<Scored> defects) throws IOException {
        double max = 0;
        for (List<Scored> l : List.of(good, defects)) {
            for (Scored s : l) {
                for (float v : s.result().map()) {
                    max = Math.max(max, v);
                }
            }
        }
        AnomalyMetrics.PixelRoc roc = new AnomalyMetrics.PixelRoc(max);
        for (List<Scored> l : List.of(good, defects)) {
            for (Scored s : l) {
                AnomalyResult r = s.result();
                float[] map = r.mapAt(r.imageWidth(), r.imageHeight());
                Path maskFile = ImageSets.mask(s.image());
                Raster mask = null;
                if (maskFile != null) {
                    BufferedImage m = ImageIO.read(maskFile.toFile());
                    if (m == null || m.getWidth() != r.imageWidth() || m.getHeight() != r.imageHeight()) {
                        throw new IOException(maskFile + ": not a " + r.imageWidth() + "x" + r.imageHeight() + " mask image");
                    }
                    mask = m.getRaster();
                }
                for (int y = 0; y < r.imageHeight(); y++) {
                    for (int x = 0; x < r.imageWidth(); x++) {
                        boolean defect = mask != null && mask.getSample(x, y, 0) >= 128;
                        roc.add(map[y * r.imageWidth() + x], defect);
                    }
                }
            }
        }
        return roc.auroc();
    }
}
