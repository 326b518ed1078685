/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;

/**
 * What {@code ./station eval} found when it judged a model file: written beside the model as
 * {@code <model>.eval.json}, read when a recipe is loaded. A recipe only runs a model that has one, for exactly that
 * file (its SHA-256), unless the recipe says {@code model.allowUnevaluated: true}.
 *
 * <p>Only the fields a recipe check and an operator need are read here; the file holds the whole evaluation
 * (per-class AP, confusion, the command) for people.
 *
 * @param sha256       hex SHA-256 of the model file that was evaluated
 * @param evaluatedAt  ISO-8601 instant of the evaluation
 * @param dataset      the dataset folder, as given to {@code eval}
 * @param images       images evaluated
 * @param map50        mAP@0.5
 * @param escapeRate   defective images without a detection / defective images
 * @param overkillRate good images with a detection / good images
 */
public record EvaluationRecord(String sha256, String evaluatedAt, String dataset, int images, double map50,
                               double escapeRate, double overkillRate) {

    /** Where the record of {@code model} lives: {@code <model file name>.eval.json} beside it. */
    public static Path fileFor(Path model) {
        return model.resolveSibling(model.getFileName() + ".eval.json");
    }

    /**
     * Reads a record.
     *
     * @throws IOException when it cannot be read, is not a JSON object, or lacks {@code sha256}
     */
    public static EvaluationRecord read(Path file) throws IOException {
        Object doc;
        try {
            String text = Files.readString(file);
            doc = new Load(YamlReader.wholeText(file.toString(), text).build()).loadFromString(text);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable evaluation record (" + e.getMessage() + ")", e);
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("sha256") instanceof String sha)) {
            throw new IOException(file + ": not an evaluation record (no \"sha256\")");
        }
        return new EvaluationRecord(sha.toLowerCase(Locale.ROOT), string(m, "evaluatedAt"), string(m, "dataset"),
                (int) number(m, "images"), number(m, "map50"), number(m, "escapeRate"), number(m, "overkillRate"));
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** One line for an operator: when, on what, and the figures that matter on a line. */
    public String summary() {
        if (Double.isNaN(map50)) { // an anomaly model's record (eval-anomaly): no boxes, so no mAP
            return String.format(Locale.ROOT, "evaluated %s on %d images of %s: escape rate %.4f, overkill rate %.4f",
                    evaluatedAt, images, dataset, escapeRate, overkillRate);
        }
        return String.format(Locale.ROOT, "evaluated %s on %d images of %s: mAP@0.5 %.3f, escape rate %.4f, overkill rate %.4f",
                evaluatedAt, images, dataset, map50, escapeRate, overkillRate);
    }

    private static String string(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : "?";
    }

    private static double number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
