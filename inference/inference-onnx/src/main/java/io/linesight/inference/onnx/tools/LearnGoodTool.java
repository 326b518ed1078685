/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.tools;

import io.linesight.inference.api.InferenceException;
import io.linesight.inference.onnx.anomaly.AnomalyLearner;
import io.linesight.inference.onnx.anomaly.AnomalyModel;
import io.linesight.inference.onnx.anomaly.AnomalyModelInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code learn-good --images DIR|LIST --out MODEL [--backbone FILE] [--target-frr 0.01] …}: learns an anomaly model
 * from good images only (see {@link AnomalyLearner}), printing progress to the error stream and a summary to out.
 */
public final class LearnGoodTool {
    static final String USAGE = "usage: learn-good --images DIR|LIST.txt [--root DIR] --out MODEL [--like MODEL] [--backbone FILE] "
            + "[--layers A,B] [--size 256 | --scale F] [--standardise] [--border N] [--top-k 1] [--mirror] [--shift PX] [--more-scales S:B,…] [--target-frr 0.01] [--coreset 0.1] [--max-bank 10000] "
            + "[--calibration-every 5] [--seed 42] [--threads N]";

    private LearnGoodTool() {
    }

    /** The defaults for learning a model like {@code m}: its settings, the rest as given. */
    static AnomalyLearner.Options like(AnomalyModelInfo m, AnomalyLearner.Options d) {
        return new AnomalyLearner.Options(m.layers(), m.inputWidth(), m.inputHeight(), m.scale(), m.standardise(),
                m.border(), m.topK(), m.mirrored(), m.shift(),
                m.scales().stream().map(x -> new AnomalyLearner.MoreScale(x.scale(), x.border())).toList(),
                m.targetFrr(), d.coresetRatio(), Math.max(m.bankSize(),
                m.scales().stream().mapToInt(AnomalyModelInfo.Scale::bankSize).max().orElse(0)), d.calibrationEvery(),
                d.projectionDim(), d.seed(), d.threads());
    }

    private static List<AnomalyLearner.MoreScale> moreScales(String given) throws ToolArgs.UsageException {
        if (given == null) {
            return List.of();
        }
        try {
            return Arrays.stream(given.split(",")).map(AnomalyLearner.MoreScale::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ToolArgs.UsageException("--more-scales: " + e.getMessage());
        }
    }

    /**
     * With {@code --like MODEL} every learning setting not given on the command line is that model's: backbone,
     * layers, input size or scale, standardise, border, top-k, mirror, shift, further scales, target false-reject rate
     * and bank size (as the cap). Flags given beside it add to its own.
     *
     * @return 0 on success, 2 on a usage error, 1 when the images, the backbone or the model to learn like cannot be used
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        ToolArgs a;
        AnomalyLearner.Options o;
        Path images;
        Path model;
        AnomalyModel.Learning like = null;
        try {
            a = new ToolArgs(args, Set.of("images", "root", "out", "like", "backbone", "layers", "size", "scale",
                    "target-frr", "coreset", "max-bank", "calibration-every", "seed", "threads", "border", "top-k", "shift",
                    "more-scales"), Set.of("standardise", "mirror"));
            images = Path.of(a.required("images"));
            model = Path.of(a.required("out"));
            AnomalyLearner.Options d = AnomalyLearner.Options.defaults();
            if (a.optional("like") != null) {
                try {
                    like = AnomalyModel.learning(Path.of(a.optional("like")));
                } catch (InferenceException e) {
                    err.println("learn-good: --like: " + e.getMessage());
                    return 1;
                }
                d = like(like.info(), d);
            }
            String layers = a.optional("layers");
            int size = (int) a.whole("size", d.inputWidth(), 32, 2048);
            if (size % 32 != 0) {
                throw new ToolArgs.UsageException("--size " + size + " must be a multiple of 32");
            }
            int height = a.optional("size") == null ? d.inputHeight() : size;
            String more = a.optional("more-scales");
            o = new AnomalyLearner.Options(layers == null ? d.layers() : Arrays.stream(layers.split(",")).map(String::strip).toList(),
                    size, height, a.number("scale", d.scale(), 0, 4), d.standardise() || a.flag("standardise"),
                    (int) a.whole("border", d.border(), 0, 8), (int) a.whole("top-k", d.topK(), 1, 1000),
                    d.mirror() || a.flag("mirror"), (int) a.whole("shift", d.shift(), 0, AnomalyLearner.MAX_SHIFT),
                    more == null ? d.moreScales() : moreScales(more),
                    a.number("target-frr", d.targetFrr(), 1e-4, 0.5), a.number("coreset", d.coresetRatio(), 1e-4, 1),
                    (int) a.whole("max-bank", d.maxBank(), 1, 10_000_000),
                    (int) a.whole("calibration-every", d.calibrationEvery(), 2, 1000), d.projectionDim(),
                    a.whole("seed", d.seed(), 0, Long.MAX_VALUE), (int) a.whole("threads", d.threads(), 1, 256));
        } catch (ToolArgs.UsageException | IllegalArgumentException e) {
            err.println("learn-good: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            String root = a.optional("root");
            List<Path> files = ImageSets.images(images, root == null ? null : Path.of(root));
            String backboneOpt = a.optional("backbone");
            byte[] backbone;
            String backboneName;
            if (backboneOpt != null) {
                Path b = Path.of(backboneOpt);
                if (!Files.isRegularFile(b)) {
                    err.println("learn-good: --backbone " + b + ": no such file");
                    return 1;
                }
                backbone = Files.readAllBytes(b);
                backboneName = b.getFileName().toString();
            } else if (like != null) {
                backbone = like.backbone();
                backboneName = like.info().backbone();
            } else {
                backbone = AnomalyModel.bundledBackbone();
                backboneName = AnomalyModel.BUNDLED_BACKBONE;
            }
            err.printf(Locale.ROOT, "learn-good: %d good images from %s, backbone %s%s%n", files.size(), images, backboneName,
                    like == null ? "" : ", settings like " + a.optional("like"));
            long t0 = System.nanoTime();
            int[] lastDecile = {-1};
            String[] lastStage = {""};
            AnomalyModelInfo info = AnomalyLearner.learn(backbone, backboneName, files, o, model, (stage, done, total) -> {
                int decile = (int) (10L * done / total);
                if (!stage.equals(lastStage[0]) || decile != lastDecile[0]) {
                    lastStage[0] = stage;
                    lastDecile[0] = decile;
                    err.printf(Locale.ROOT, "learn-good: %-11s %6d/%d (%d %%) %.1f s%n", stage, done, total,
                            100L * done / total, (System.nanoTime() - t0) / 1e9);
                }
            });
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "learned %s in %.1f s: %d images (%d in the bank, %d held out for the threshold), "
                            + "layers %s, input %s, memory bank %d x %d from %d patches, threshold %.4f for %.1f %% false rejects%n",
                    model, secs, files.size(), info.learnedFrom().size(), info.calibratedOn().size(), info.layers(),
                    info.scale() > 0 ? "scaled by " + info.scale() : info.inputWidth() + "x" + info.inputHeight(),
                    info.bankSize(), info.featureDim(), info.patchesSeen(), info.threshold(), 100 * info.targetFrr());
            return 0;
        } catch (IOException | InferenceException | IllegalArgumentException e) {
            err.println("learn-good: " + e.getMessage());
            return 1;
        }
    }
}
