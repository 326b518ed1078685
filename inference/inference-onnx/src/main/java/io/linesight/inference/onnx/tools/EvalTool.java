/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code eval --model M.onnx --dataset DIR [--conf 0.25] [--class-conf name=0.5,…] [--iou 0.45] [--json] [--record]}:
 * the model's quality on a labelled folder (see {@link LabelledDataset}) as {@link DetectionMetrics} reports it. The
 * model runs once per image at score 0.001 for AP; {@code --conf}/{@code --class-conf} are the recipe's thresholds
 * for precision, recall, confusion, escape and overkill.
 *
 * <p>With {@code --record} it also writes the model's {@link EvaluationRecord} ({@code <model>.eval.json} beside it:
 * the file's SHA-256, when, on what, the thresholds and every figure), without which a recipe refuses the model.
 */
public final class EvalTool {
    static final String USAGE = "usage: eval --model M.onnx --dataset DIR [--conf 0.25] [--class-conf name=v,...] "
            + "[--iou 0.45] [--provider cpu|cuda] [--json] [--record]";
    private static final double AP_CONF = 0.001;

    private EvalTool() {
    }

    /** @return 0 on success, 2 on a usage error, 1 when the model or dataset cannot be used */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ToolArgs a;
        Path model;
        Path dataset;
        double conf;
        double iou;
        Map<String, Double> classConf = new HashMap<>();
        try {
            a = new ToolArgs(args, Set.of("model", "dataset", "conf", "iou", "class-conf", "provider"), Set.of("json", "record"));
            model = Path.of(a.required("model"));
            dataset = Path.of(a.required("dataset"));
            conf = a.number("conf", 0.25, 0, 1);
            iou = a.number("iou", 0.45, 0, 1);
            String cc = a.optional("class-conf");
            if (cc != null) {
                for (String kv : cc.split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new ToolArgs.UsageException("--class-conf '" + kv + "' is not name=score");
                    }
                    try {
                        classConf.put(kv.substring(0, eq).trim(), Double.parseDouble(kv.substring(eq + 1)));
                    } catch (NumberFormatException e) {
                        throw new ToolArgs.UsageException("--class-conf '" + kv + "': score is not a number");
                    }
                }
            }
        } catch (ToolArgs.UsageException e) {
            err.println("eval: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String provider = a.optional("provider") == null ? "cpu" : a.optional("provider");
        ModelSpec spec = new ModelSpec(model.toString(), List.of(), AP_CONF, Map.of(), iou, false, 300, List.of(), null,
                provider, Math.max(1, Runtime.getRuntime().availableProcessors()), 1, null);
        try (OnnxDetector d = OnnxDetector.open(spec, model)) {
            List<String> names = d.info().classNames();
            for (String k : classConf.keySet()) {
                if (!names.contains(k)) {
                    err.println("eval: --class-conf names '" + k + "', which the model does not have");
                    return 2;
                }
            }
            float[] thr = new float[names.size()];
            for (int i = 0; i < thr.length; i++) {
                thr[i] = (float) classConf.getOrDefault(names.get(i), conf).doubleValue();
            }
            DetectionMetrics m = new DetectionMetrics(names, thr);
            int unlabelled = 0;
            for (LabelledDataset.Item item : LabelledDataset.scan(dataset)) {
                BufferedImage img = FrameImages.read(item.image());
                if (item.labels() == null) {
                    unlabelled++;
                }
                List<DetectionMetrics.Truth> truth = LabelledDataset.read(item.labels(), img.getWidth(), img.getHeight(), names);
                List<Detection> pred = d.detectRgb(img);
                m.add(truth, pred);
            }
            if (a.flag("json")) {
                out.println(toJson(m, model, dataset, unlabelled));
            } else {
                printText(out, m, model, dataset, unlabelled);
            }
            if (a.flag("record")) {
                Path file = writeRecord(m, model, dataset, unlabelled, conf, classConf, iou, args);
                (a.flag("json") ? err : out).println("evaluation record written: " + file);
            }
            return 0;
        } catch (InferenceException | IOException e) {
            err.println("eval: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Writes the evaluation record beside the model (through a temporary file, so a recipe never reads half a
     * record). The figures are the JSON report's; the SHA-256 ties them to this exact file.
     */
    static Path writeRecord(DetectionMetrics m, Path model, Path dataset, int unlabelled, double conf,
                            Map<String, Double> classConf, double iou, List<String> args) throws IOException {
        StringBuilder head = new StringBuilder("{\"sha256\":").append(ToolArgs.json(EvaluationRecord.sha256(model)))
                .append(",\"evaluatedAt\":").append(ToolArgs.json(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))
                .append(",\"command\":").append(ToolArgs.json("eval " + String.join(" ", args)))
                .append(",\"conf\":").append(ToolArgs.num(conf))
                .append(",\"iou\":").append(ToolArgs.num(iou))
                .append(",\"classConf\":{");
        boolean first = true;
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(classConf).entrySet()) {
            head.append(first ? "" : ",").append(ToolArgs.json(e.getKey())).append(':').append(ToolArgs.num(e.getValue()));
            first = false;
        }
        head.append("},");
        String report = toJson(m, model.getFileName(), dataset, unlabelled);
        Path file = EvaluationRecord.fileFor(model.toAbsolutePath());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, head + report.substring(1) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    static void printText(PrintStream out, DetectionMetrics m, Path model, Path dataset, int unlabelled) {
        out.printf(Locale.ROOT, "model %s on %s: %d images (%d with defects, %d defect-free, %d without a label file)%n",
                model.getFileName(), dataset, m.images(), m.defectImages(), m.goodImages(), unlabelled);
        out.printf(Locale.ROOT, "mAP@0.5 %.4f   mAP@0.5:0.95 %.4f   precision %.4f   recall %.4f%n", m.map50(),
                m.map50to95(), m.precision(), m.recall());
        out.printf(Locale.ROOT, "escape rate %.4f (%d of %d defective images would PASS)   overkill rate %.4f (%d of %d good images would be REJECTed)%n",
                m.escapeRate(), m.escapes(), m.defectImages(), m.overkillRate(), m.overkills(), m.goodImages());
        out.printf(Locale.ROOT, "%-20s %6s %8s %10s %9s %7s%n", "class", "labels", "AP50", "AP50-95", "precision", "recall");
        List<String> names = m.classNames();
        for (int c = 0; c < names.size(); c++) {
            if (m.groundTruth(c) == 0 && Double.isNaN(m.precision(c))) {
                continue;
            }
            out.printf(Locale.ROOT, "%-20s %6d %8.4f %10.4f %9.4f %7.4f%n", names.get(c), m.groundTruth(c), m.ap50(c),
                    m.ap50to95(c), m.precision(c), m.recall(c));
        }
        long[][] cm = m.confusionMatrix();
        List<Integer> shown = shownClasses(m, cm);
        out.println("confusion matrix (rows predicted, columns true; IoU 0.5, recipe thresholds):");
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-14s", ""));
        for (int c : shown) {
            h.append(String.format(Locale.ROOT, " %10.10s", label(names, c)));
        }
        out.println(h);
        for (int r : shown) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-14.14s", label(names, r)));
            for (int c : shown) {
                row.append(String.format(Locale.ROOT, " %10d", cm[r][c]));
            }
            out.println(row);
        }
    }

    private static String label(List<String> names, int c) {
        return c == names.size() ? "background" : names.get(c);
    }

    /** Classes that appear in the matrix, then background. */
    private static List<Integer> shownClasses(DetectionMetrics m, long[][] cm) {
        int n = cm.length;
        List<Integer> l = new java.util.ArrayList<>();
        for (int c = 0; c < n - 1; c++) {
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += cm[c][i] + cm[i][c];
            }
            if (s > 0) {
                l.add(c);
            }
        }
        l.add(n - 1);
        return l;
    }

    static String toJson(DetectionMetrics m, Path model, Path dataset, int unlabelled) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"model\":").append(ToolArgs.json(model.toString()))
                .append(",\"dataset\":").append(ToolArgs.json(dataset.toString()))
                .append(",\"images\":").append(m.images())
                .append(",\"defectImages\":").append(m.defectImages())
                .append(",\"goodImages\":").append(m.goodImages())
                .append(",\"unlabelledImages\":").append(unlabelled)
                .append(",\"map50\":").append(ToolArgs.num(m.map50()))
                .append(",\"map50_95\":").append(ToolArgs.num(m.map50to95()))
                .append(",\"precision\":").append(ToolArgs.num(m.precision()))
                .append(",\"recall\":").append(ToolArgs.num(m.recall()))
                .append(",\"escapeRate\":").append(ToolArgs.num(m.escapeRate()))
                .append(",\"overkillRate\":").append(ToolArgs.num(m.overkillRate()))
                .append(",\"classes\":[");
        List<String> names = m.classNames();
        boolean first = true;
        for (int c = 0; c < names.size(); c++) {
            if (m.groundTruth(c) == 0 && Double.isNaN(m.precision(c))) {
                continue;
            }
            b.append(first ? "" : ",").append("{\"name\":").append(ToolArgs.json(names.get(c)))
                    .append(",\"id\":").append(c)
                    .append(",\"labels\":").append(m.groundTruth(c))
                    .append(",\"ap50\":").append(ToolArgs.num(m.ap50(c)))
                    .append(",\"ap50_95\":").append(ToolArgs.num(m.ap50to95(c)))
                    .append(",\"precision\":").append(ToolArgs.num(m.precision(c)))
                    .append(",\"recall\":").append(ToolArgs.num(m.recall(c))).append('}');
            first = false;
        }
        b.append("],\"confusion\":{\"labels\":[");
        for (int c = 0; c <= names.size(); c++) {
            b.append(c == 0 ? "" : ",").append(ToolArgs.json(label(names, c)));
        }
        b.append("],\"rowsPredictedColumnsTrue\":[");
        long[][] cm = m.confusionMatrix();
        for (int r = 0; r < cm.length; r++) {
            b.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < cm.length; c++) {
                b.append(c == 0 ? "" : ",").append(cm[r][c]);
            }
            b.append(']');
        }
        return b.append("]}}").toString();
    }
}
