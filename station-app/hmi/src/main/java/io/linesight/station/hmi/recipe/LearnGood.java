/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.config.ConfigException;
import io.linesight.config.recipe.AnomalySpec;
import io.linesight.config.recipe.EvaluationRecord;
import io.linesight.config.recipe.Recipe;
import io.linesight.config.recipe.Roi;
import io.linesight.config.recipe.Shot;
import io.linesight.inference.onnx.tools.EvalAnomalyTool;
import io.linesight.inference.onnx.tools.LearnGoodTool;
import io.linesight.station.archive.DatasetExport;
import io.linesight.station.archive.ShotImages;
import io.linesight.station.auth.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The Recipes screen's "learn good" for engineers: an anomaly model for one shot learned from the station's own
 * archive, evaluated, and put into a new recipe version only once its evaluation record exists. A shot that has an
 * anomaly model already is learned again like it ({@code learn-good --like}: its backbone, scale, shift and the rest);
 * one without is learned with the defaults. The window's first two
 * thirds of good parts (PASS) are learned from; the parts after them give the evaluation (PASS parts good, REJECT parts
 * defective, as the line judged them), so the record speaks of parts the model never saw. The recipe's threshold is
 * the evaluation's 1 % false-reject threshold. Audited: the attempt, a refusal with its reason, and the new version
 * ({@code recipe-save}). Blocking file and CPU work: callers run it off the FX thread.
 */
public final class LearnGood {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LearnGood() {
    }

    /**
     * What came of it.
     *
     * @param saved the new version, or null when refused
     * @param model the model file written (it stays for a look even when refused), or null when none was
     * @param text  one line for the engineer: the figures, or why nothing was saved
     */
    public record Result(@Nullable Recipe saved, @Nullable Path model, String text) {
    }

    /**
     * @param roi the region of the shot's frames to learn and score, or null for the whole frame
     */
    public static Result run(RecipeVersions versions, Path archiveRoot, Recipe current, String shot, @Nullable Roi roi,
                             Instant since, Instant until, String who) throws IOException {
        Shot s = current.shot(shot);
        if (s == null) {
            return new Result(null, null, "no shot " + shot + " in " + current.label());
        }
        versions.audit().record(who, "anomaly-learn", current.name(), current.label(), "shot " + shot + ", archive "
                + since + " .. " + until);
        List<Instant> passes = ShotImages.times(archiveRoot, since, until, DatasetExport.Results.PASS, current.name(), shot);
        if (passes.size() < 6) {
            String why = "no new version: " + passes.size() + " good parts of " + current.name() + " with shot " + shot
                    + " in the archive since " + since + "; it needs some dozens (the recipe's archive.okEveryN keeps "
                    + "every N-th good part)";
            versions.audit().record(who, "anomaly-learn-refused", current.name(), current.label(), why);
            return new Result(null, null, why);
        }
        Instant split = passes.get(passes.size() * 2 / 3); // the first two thirds of the good parts learn, the rest judge
        Path work = Files.createTempDirectory("learn-good-");
        Path model = null;
        try {
            Path learn = work.resolve("learn");
            Path good = work.resolve("good");
            Path bad = work.resolve("defects");
            ShotImages.export(archiveRoot, since, split, DatasetExport.Results.PASS, current.name(), shot, roi, learn);
            ShotImages.export(archiveRoot, split, until, DatasetExport.Results.PASS, current.name(), shot, roi, good);
            ShotImages.export(archiveRoot, split, until, DatasetExport.Results.REJECT, current.name(), shot, roi, bad);
            String file = "models/" + current.name() + "-" + shot + "-" + until.getEpochSecond() + ".anomaly";
            model = versions.recipeDir().resolve(file);
            StringBuilder log = new StringBuilder();
            List<String> learnArgs = new ArrayList<>(List.of("--images", learn.toString(), "--out",
                    versions.recipeDir().resolve(file).toString(), "--threads", "1"));
            Path running = s.anomaly() == null ? null : versions.recipeDir().resolve(s.anomaly().model());
            if (running != null && Files.isRegularFile(running)) {
                // learned again like the shot's model: the engineer's backbone, scale, shift, … stay
                learnArgs.addAll(List.of("--like", running.toString()));
            }
            int rc = tool(log, out -> LearnGoodTool.run(learnArgs, out, out));
            if (rc == 0) {
                rc = tool(log, out -> EvalAnomalyTool.run(List.of("--model", versions.recipeDir().resolve(file).toString(),
                        "--good", good.toString(), "--defects", bad.toString(), "--record", "--threads", "1"), out, out));
            }
            Path recordFile = EvaluationRecord.fileFor(model);
            if (rc != 0 || !Files.isRegularFile(recordFile)) {
                String why = "no new version: the model has no evaluation record (" + lastLine(log) + ")";
                versions.audit().record(who, "anomaly-learn-refused", current.name(), current.label(), why);
                return new Result(null, Files.isRegularFile(model) ? model : null, why);
            }
            JsonNode record = JSON.readTree(recordFile.toFile());
            double threshold = record.path("thresholdAt1pctFrr").asDouble(Double.NaN);
            AnomalySpec old = s.anomaly();
            AnomalySpec spec = new AnomalySpec(file, Double.isFinite(threshold) ? threshold : null, null, roi,
                    old == null ? null : old.mask(), old == null ? 1 : old.threads(), false,
                    old == null ? "cpu" : old.provider(), old == null ? null : old.gpu());
            List<Shot> shots = new ArrayList<>();
            for (Shot x : current.shots()) {
                shots.add(x.name().equals(shot) ? new Shot(x.name(), x.camera(), x.exposureUs(), x.gainDb(), x.light(), spec)
                        : x);
            }
            Recipe edited = new Recipe(current.name(), current.version(), current.productCode(), current.description(),
                    shots, current.rules(), current.model(), current.judge(), current.archive());
            Recipe saved = versions.saveNextVersion(edited, who);
            return new Result(saved, model, String.format(Locale.ROOT, "saved %s: %s learned from %d good images; "
                            + "evaluated on %d good and %d defective: image AUROC %.4f, threshold %.4f", saved.label(), file,
                    count(learn), record.path("goodImages").asInt(), record.path("defectImages").asInt(),
                    record.path("imageAuroc").asDouble(), threshold));
        } catch (ConfigException e) {
            versions.audit().record(who, "anomaly-learn-refused", current.name(), current.label(), e.getMessage());
            return new Result(null, model, "no new version: " + e.getMessage());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Tool {
        int run(PrintStream out);
    }

    private static int tool(StringBuilder log, Tool t) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = t.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        log.append(buf.toString(StandardCharsets.UTF_8));
        return rc;
    }

    private static String lastLine(StringBuilder log) {
        String[] lines = log.toString().strip().split("\n");
        return lines[lines.length - 1];
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
