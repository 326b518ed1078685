/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import io.linesight.config.recipe.ModelSpec;
import io.linesight.inference.api.Detection;
import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.FrameImages;
import io.linesight.inference.onnx.OnnxDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code detect --model M.onnx --image I [--conf 0.25] [--iou 0.45] [--provider cpu|cuda] [--json]}: runs a model
 * on one image file and prints class, score and box in image pixels. Colour images go in as RGB (3-channel models)
 * or grey (1-channel models).
 */
public final class DetectTool {
    static final String USAGE = "usage: detect --model M.onnx --image IMAGE [--conf 0.25] [--iou 0.45] "
            + "[--max-det 300] [--provider cpu|cuda] [--json]";

    private DetectTool() {
    }

    /**
     * @return 0 on success, 2 on a usage error, 1 when the model or image cannot be used (one line on {@code err}
     *         naming the file: missing, not an image, truncated or corrupt)
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ToolArgs a;
        Path model;
        Path image;
        double conf;
        double iou;
        int maxDet;
        try {
            a = new ToolArgs(args, Set.of("model", "image", "conf", "iou", "max-det", "provider"), Set.of("json"));
            model = Path.of(a.required("model"));
            image = Path.of(a.required("image"));
            conf = a.number("conf", 0.25, 0, 1);
            iou = a.number("iou", 0.45, 0, 1);
            maxDet = (int) a.whole("max-det", 300, 1, 10_000);
        } catch (ToolArgs.UsageException e) {
            err.println("detect: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        String provider = a.optional("provider") == null ? "cpu" : a.optional("provider");
        ModelSpec spec = new ModelSpec(model.toString(), List.of(), conf, Map.of(), iou, false, maxDet, List.of(), null,
                provider, Math.max(1, Runtime.getRuntime().availableProcessors()), 0, null);
        // The image first: a bad file is found in milliseconds, before the model takes seconds to load.
        BufferedImage picture;
        try {
            picture = FrameImages.read(image);
        } catch (IOException e) {
            err.println("detect: " + e.getMessage());
            return 1;
        }
        try (OnnxDetector d = OnnxDetector.open(spec, model)) {
            long t0 = System.nanoTime();
            List<Detection> dets = d.detectRgb(picture);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (a.flag("json")) {
                out.println(toJson(image, d, dets, ms));
            } else {
                out.printf(Locale.ROOT, "%s: %d detections, %s layout, %s, %.1f ms%n", image.getFileName(), dets.size(),
                        d.info().layout(), d.info().executionProvider(), ms);
                out.printf(Locale.ROOT, "%-20s %6s %8s %8s %8s %8s%n", "class", "score", "x1", "y1", "x2", "y2");
                for (Detection x : dets) {
                    out.printf(Locale.ROOT, "%-20s %6.3f %8.1f %8.1f %8.1f %8.1f%n", x.className(), x.score(), x.x1(),
                            x.y1(), x.x2(), x.y2());
                }
            }
            return 0;
        } catch (InferenceException e) {
            err.println("detect: " + e.getMessage());
            return 1;
        }
    }

    static String toJson(Path image, OnnxDetector d, List<Detection> dets, double ms) {
        StringBuilder b = new StringBuilder();
        b.append("{\"image\":").append(ToolArgs.json(image.toString()))
                .append(",\"model\":").append(ToolArgs.json(d.info().file()))
                .append(",\"layout\":").append(ToolArgs.json(d.info().layout()))
                .append(",\"provider\":").append(ToolArgs.json(d.info().executionProvider()))
                .append(",\"ms\":").append(ToolArgs.num(ms))
                .append(",\"detections\":[");
        for (int i = 0; i < dets.size(); i++) {
            Detection x = dets.get(i);
            b.append(i == 0 ? "" : ",").append("{\"class\":").append(ToolArgs.json(x.className()))
                    .append(",\"classId\":").append(x.classId())
                    .append(",\"score\":").append(ToolArgs.num(x.score()))
                    .append(",\"box\":[").append(ToolArgs.num(x.x1())).append(',').append(ToolArgs.num(x.y1()))
                    .append(',').append(ToolArgs.num(x.x2())).append(',').append(ToolArgs.num(x.y2())).append("]}");
        }
        return b.append("]}").toString();
    }
}
