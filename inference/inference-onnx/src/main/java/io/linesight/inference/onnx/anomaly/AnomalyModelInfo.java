/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx.anomaly;

import io.linesight.inference.onnx.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What an anomaly model file says about itself ({@code model.json} in the file): how its features are made, how big its
 * memory bank is, its calibrated threshold, and the good images it learned from.
 *
 * @param backbone          the backbone's name (its file name when learned)
 * @param backboneSha256    SHA-256 of the backbone ONNX bytes stored in the model file
 * @param layers            the tapped layers whose features are concatenated, finest first
 * @param inputWidth        the width every image is resized to before the backbone
 * @param inputHeight       the height every image is resized to
 * @param scale             when above 0, images keep their aspect and are scaled by this factor instead (each side
 *                          rounded to a multiple of 32), so defects and texture keep one size in patches
 * @param standardise       each image's grey levels are shifted and stretched to one mean and spread before the
 *                          backbone, so lighting drift between images is not scored as an anomaly
 * @param border            patches along each image edge left out of the image score and the region (edges of the
 *                          part or fixture in the crop); they read 0 on the map
 * @param aggregation       the neighbourhood (cells, odd) each layer is averaged over
 * @param topK              the image score is the mean of the {@code topK} largest patch distances (1: the largest
 *                          alone, as in model files written before this field existed)
 * @param mirrored          the memory bank also holds the patches of each learning image mirrored left to right
 * @param shift             the memory bank also holds each learning image moved by this many pixels in each of the
 *                          eight directions (0: not moved; and in model files written before this field existed)
 * @param scales            further scales the image is scored at, each with its own memory bank; empty in a
 *                          single-scale model (and in model files written before this field existed)
 * @param centre            with further {@code scales}: the median of the held-out good images' scores at the
 *                          first scale (0 in a single-scale model, whose score is the raw patch distance)
 * @param spread            with further {@code scales}: their standard deviation (1 in a single-scale model)
 * @param featureDim        the length of one patch feature
 * @param bankSize          rows in the memory bank (after coreset selection)
 * @param patchesSeen       patch features of the learning images before coreset selection
 * @param threshold         image score above which a part is anomalous
 * @param targetFrr         the false-reject rate on good images the threshold was calibrated for
 * @param calibrationScores the image scores of the held-out good images the threshold came from, ascending
 * @param learnedFrom       the images the memory bank was built from (file names)
 * @param calibratedOn      the held-out good images (file names)
 * @param createdAt         ISO-8601 instant of learning
 */
public record AnomalyModelInfo(String backbone, String backboneSha256, List<String> layers, int inputWidth,
                               int inputHeight, double scale, boolean standardise, int border,
                               int aggregation, int topK, boolean mirrored, int shift, List<Scale> scales,
                               double centre, double spread, int featureDim, int bankSize, long patchesSeen,
                               double threshold, double targetFrr, List<Double> calibrationScores,
                               List<String> learnedFrom, List<String> calibratedOn, String createdAt) {
    /** The format tag written into every model file; a different one is refused. */
    public static final String FORMAT = "linesight-anomaly/1";

    /**
     * One more scale of a multi-scale model. Its image score is brought to a common unit with the first scale's by
     * the spread of the held-out good scores: each scale contributes {@code (score - centre) / spread}, and the
     * model's score is the sum over all its scales (the first one's centre and spread are {@link #centre()} and
     * {@link #spread()}).
     *
     * @param scale       the factor images are scaled by for this bank
     * @param border      patches along each edge left out at this scale
     * @param bankSize    rows in this scale's memory bank ({@code bank-N.f32}, N from 1)
     * @param patchesSeen patch features of the learning images at this scale before coreset selection
     * @param centre      the median of the held-out good images' scores at this scale
     * @param spread      the standard deviation of those scores
     */
    public record Scale(double scale, int border, int bankSize, long patchesSeen, double centre, double spread) {
        public Scale {
            if (!(scale > 0 && scale <= 4) || border < 0 || !(spread > 0)) {
                throw new IllegalArgumentException("scale " + scale + ", border " + border + ", spread " + spread
                        + ": the scale must be in (0, 4], the border >= 0, the spread > 0");
            }
        }
    }

    public AnomalyModelInfo {
        scales = List.copyOf(scales);
        if (!(spread > 0)) {
            throw new IllegalArgumentException("spread " + spread + " must be > 0");
        }
        if (shift < 0) {
            throw new IllegalArgumentException("shift " + shift + " must be >= 0");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK " + topK + " must be >= 1");
        }
        layers = List.copyOf(layers);
        calibrationScores = List.copyOf(calibrationScores);
        learnedFrom = List.copyOf(learnedFrom);
        calibratedOn = List.copyOf(calibratedOn);
    }

    /** The same model with another threshold (a recipe's own, or a re-calibration). */
    public AnomalyModelInfo withThreshold(double t, double frr) {
        return new AnomalyModelInfo(backbone, backboneSha256, layers, inputWidth, inputHeight, scale, standardise, border,
                aggregation, topK, mirrored, shift, scales, centre, spread, featureDim,
                bankSize, patchesSeen, t, frr, calibrationScores, learnedFrom, calibratedOn, createdAt);
    }

    /**
     * The threshold for another target false-reject rate, by the learner's rule on the held-out good scores this
     * model stores (with fewer than {@code 1/frr} of them: their maximum).
     *
     * @throws IllegalStateException when the model stores no held-out scores
     */
    public double thresholdFor(double frr) {
        if (calibrationScores.isEmpty()) {
            throw new IllegalStateException("the model stores no held-out good scores to set a threshold from");
        }
        double[] sorted = calibrationScores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return AnomalyLearner.threshold(sorted, frr);
    }

    /** The backbone's input size for an image of {@code width x height}: {width, height}. */
    public int[] inputSize(int width, int height) {
        return inputSizeAt(scale, width, height);
    }

    /** The backbone's input size at scale {@code s} (0: the fixed input size). */
    int[] inputSizeAt(double s, int width, int height) {
        if (s <= 0) {
            return new int[] {inputWidth, inputHeight};
        }
        return new int[] {round32(width * s), round32(height * s)};
    }

    private static int round32(double v) {
        return Math.max(32, (int) Math.round(v / 32) * 32);
    }

    String toJson() {
        StringBuilder b = new StringBuilder("{\n");
        field(b, "format", str(FORMAT));
        field(b, "backbone", str(backbone));
        field(b, "backboneSha256", str(backboneSha256));
        field(b, "layers", strings(layers));
        field(b, "inputWidth", Integer.toString(inputWidth));
        field(b, "inputHeight", Integer.toString(inputHeight));
        field(b, "scale", num(scale));
        field(b, "standardise", Boolean.toString(standardise));
        field(b, "border", Integer.toString(border));
        field(b, "aggregation", Integer.toString(aggregation));
        field(b, "topK", Integer.toString(topK));
        field(b, "mirrored", Boolean.toString(mirrored));
        field(b, "shift", Integer.toString(shift));
        field(b, "centre", num(centre));
        field(b, "spread", num(spread));
        field(b, "scales", "[" + String.join(", ", scales.stream().map(x -> "{\"scale\": " + num(x.scale())
                + ", \"border\": " + x.border() + ", \"bankSize\": " + x.bankSize() + ", \"patchesSeen\": "
                + x.patchesSeen() + ", \"centre\": " + num(x.centre()) + ", \"spread\": " + num(x.spread()) + "}")
                .toList()) + "]");
        field(b, "featureDim", Integer.toString(featureDim));
        field(b, "bankSize", Integer.toString(bankSize));
        field(b, "patchesSeen", Long.toString(patchesSeen));
        field(b, "threshold", num(threshold));
        field(b, "targetFrr", num(targetFrr));
        field(b, "calibrationScores", "[" + String.join(", ", calibrationScores.stream().map(AnomalyModelInfo::num).toList()) + "]");
        field(b, "learnedFrom", strings(learnedFrom));
        field(b, "calibratedOn", strings(calibratedOn));
        b.append("  \"createdAt\": ").append(str(createdAt)).append("\n}\n");
        return b.toString();
    }

    /** Parses {@code model.json}; the message of a failure names the entry and the field. */
    static AnomalyModelInfo fromJson(String json, String label) {
        // one read for the whole text: SnakeYAML's chunked reads fail on a surrogate pair at a chunk's end
        Object doc = new Load(LoadSettings.builder().setLabel(label).setBufferSize(json.length() + 1).build())
                .loadFromString(json);
        if (!(doc instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(label + ": not a JSON object");
        }
        String format = text(m, "format", label);
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(label + ": format '" + format + "' is not " + FORMAT);
        }
        return new AnomalyModelInfo(text(m, "backbone", label), text(m, "backboneSha256", label), texts(m, "layers", label),
                (int) number(m, "inputWidth", label), (int) number(m, "inputHeight", label), number(m, "scale", label),
                flag(m, "standardise", label), (int) number(m, "border", label),
                (int) number(m, "aggregation", label), (int) optionalNumber(m, "topK", 1, label), m.containsKey("mirrored") && flag(m, "mirrored", label),
                (int) optionalNumber(m, "shift", 0, label),
                m.containsKey("scales") ? scales(m, label) : List.of(), optionalNumber(m, "centre", 0, label),
                optionalNumber(m, "spread", 1, label),
                (int) number(m, "featureDim", label),
                (int) number(m, "bankSize", label), (long) number(m, "patchesSeen", label), number(m, "threshold", label),
                number(m, "targetFrr", label), numbers(m, "calibrationScores", label), texts(m, "learnedFrom", label),
                texts(m, "calibratedOn", label), text(m, "createdAt", label));
    }

    private static String text(Map<?, ?> m, String key, String label) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(label + ": field '" + key + "' is missing or not a string");
    }

    private static boolean flag(Map<?, ?> m, String key, String label) {
        if (m.get(key) instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(label + ": field '" + key + "' is missing or not true/false");
    }

    private static double number(Map<?, ?> m, String key, String label) {
        if (m.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(label + ": field '" + key + "' is missing or not a number");
    }

    /** A field later versions added: an older model file without it gets the value it was scored with then. */
    private static double optionalNumber(Map<?, ?> m, String key, double absent, String label) {
        return m.containsKey(key) ? number(m, key, label) : absent;
    }

    private static List<Scale> scales(Map<?, ?> m, String label) {
        List<Scale> out = new ArrayList<>();
        if (!(m.get("scales") instanceof List<?> l)) {
            throw new IllegalArgumentException(label + ": field 'scales' is not a list");
        }
        for (int i = 0; i < l.size(); i++) {
            String at = label + ": scales[" + i + "]";
            if (!(l.get(i) instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException(at + " is not an object");
            }
            try {
                out.add(new Scale(number(e, "scale", at), (int) number(e, "border", at), (int) number(e, "bankSize", at),
                        (long) number(e, "patchesSeen", at), number(e, "centre", at), number(e, "spread", at)));
            } catch (IllegalArgumentException x) {
                throw x.getMessage().startsWith(at) ? x : new IllegalArgumentException(at + ": " + x.getMessage(), x);
            }
        }
        return out;
    }

    private static List<String> texts(Map<?, ?> m, String key, String label) {
        List<String> out = new ArrayList<>();
        if (m.get(key) instanceof List<?> l) {
            for (Object o : l) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        throw new IllegalArgumentException(label + ": field '" + key + "' is missing or not a list");
    }

    private static List<Double> numbers(Map<?, ?> m, String key, String label) {
        List<Double> out = new ArrayList<>();
        if (m.get(key) instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Number n)) {
                    throw new IllegalArgumentException(label + ": field '" + key + "' holds '" + o + "', not a number");
                }
                out.add(n.doubleValue());
            }
            return out;
        }
        throw new IllegalArgumentException(label + ": field '" + key + "' is missing or not a list");
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append("  \"").append(key).append("\": ").append(value).append(",\n");
    }

    private static String strings(List<String> l) {
        return "[" + String.join(", ", l.stream().map(AnomalyModelInfo::str).toList()) + "]";
    }

    /** Round-trip precision: the threshold read back is the one calibrated, to the last bit. */
    private static String num(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("model metadata cannot hold the number " + d);
        }
        return Double.toString(d);
    }

    private static String str(String s) {
        return JsonText.quote(s);
    }
}
