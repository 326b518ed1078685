/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Turns archived parts into a training set an engineer can correct and train on: each archived shot image is copied
 * to {@code images/}, the part's detections (or, for the synthetic camera, its ground truth) become YOLO pre-labels in
 * {@code labels/} ({@code class cx cy w h}, normalised), the class order goes to {@code classes.txt}, and
 * {@code manifest.csv} says where each image came from and why the part was rejected. The layout is the one
 * {@code training/} and {@code ./station eval} read.
 *
 * <p>Reads only the archive's side-cars and images (not the results store), so it works on a copied archive too. The
 * target folder must be new or empty: an export never mixes with, or overwrites, an engineer's corrected labels.
 */
public final class DatasetExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where pre-labels come from. */
    public enum LabelSource {
        /** the model's detections at the recipe's thresholds (and {@code minScore}): what the station saw */
        DETECTIONS,
        /** the part's known defects (synthetic camera, labelled replay): exact labels for a simulated line */
        TRUTH
    }

    /** Which parts. */
    public enum Results {
        ALL, REJECT, PASS
    }

    /**
     * What to export.
     *
     * @param archiveRoot the station's archive folder
     * @param since       parts triggered at or after this instant
     * @param until       parts triggered before this instant
     * @param to          the new dataset folder (created; must be empty if it exists)
     * @param labels      where pre-labels come from
     * @param results     which verdicts
     * @param recipe      only this recipe (name, without version), or null for all
     * @param shot        only this shot, or null for every archived shot
     * @param minScore    detections under this score are not pre-labels
     * @param classes     class order to use first (e.g. the model's); classes seen that are not in it follow, sorted
     */
    public record Request(Path archiveRoot, Instant since, Instant until, Path to, LabelSource labels, Results results,
                          @Nullable String recipe, @Nullable String shot, double minScore, List<String> classes) {
        public Request {
            classes = List.copyOf(classes);
        }
    }

    /** What was exported. */
    public record Summary(int parts, int rejects, int passes, int images, int boxes, List<String> classes,
                         int skippedMissingImage) {
        public String line() {
            return String.format(Locale.ROOT, "exported %d images of %d parts (%d REJECT, %d PASS), %d boxes, classes %s%s",
                    images, parts, rejects, passes, boxes, classes,
                    skippedMissingImage > 0 ? "; " + skippedMissingImage + " images missing from the archive (retention or quota)" : "");
        }
    }

    private DatasetExport() {
    }

    /**
     * Exports; throws before writing anything when the request cannot be done (no archive, target not empty).
     *
     * @throws IOException naming the file that could not be read or written
     */
    public static Summary run(Request r) throws IOException {
        if (!Files.isDirectory(r.archiveRoot())) {
            throw new IOException("no image archive at " + r.archiveRoot());
        }
        if (!r.until().isAfter(r.since())) {
            throw new IOException("--until " + r.until() + " must be after --since " + r.since());
        }
        if (Files.exists(r.to())) {
            if (!Files.isDirectory(r.to())) {
                throw new IOException(r.to() + " exists and is not a folder");
            }
            try (Stream<Path> s = Files.list(r.to())) {
                if (s.findAny().isPresent()) {
                    throw new IOException(r.to() + " is not empty: export into a new folder (an export never overwrites labels)");
                }
            }
        }
        List<Part> parts = select(r);
        Path images = Files.createDirectories(r.to().resolve("images"));
        Path labels = Files.createDirectories(r.to().resolve("labels"));
        Set<String> seen = new TreeSet<>();
        for (Part p : parts) {
            for (Box b : p.boxes) {
                seen.add(b.label);
            }
        }
        List<String> classes = new ArrayList<>(new LinkedHashSet<>(r.classes()));
        seen.stream().filter(c -> !classes.contains(c)).forEach(classes::add);

        int rejects = 0;
        int passes = 0;
        int imageCount = 0;
        int boxes = 0;
        int missing = 0;
        try (Writer manifest = Files.newBufferedWriter(r.to().resolve("manifest.csv"), StandardCharsets.UTF_8)) {
            manifest.write("image,part_id,seq,result,recipe,model,triggered_at,labels,boxes,reasons\n");
            for (Part p : parts) {
                if (p.passed) {
                    passes++;
                } else {
                    rejects++;
                }
                for (JsonNode img : p.images) {
                    String shot = img.path("shot").asText();
                    Path src = p.folder.resolve(img.path("file").asText());
                    if (!Files.isRegularFile(src)) {
                        missing++;
                        continue;
                    }
                    String name = src.getFileName().toString();
                    String stem = name.substring(0, name.length() - ".png".length());
                    Files.copy(src, images.resolve(name));
                    int w = img.path("width").asInt();
                    int h = img.path("height").asInt();
                    StringBuilder yolo = new StringBuilder();
                    int n = 0;
                    for (Box b : p.boxes) {
                        if (b.shot != null && !b.shot.equals(shot)) {
                            continue;
                        }
                        yolo.append(yoloLine(classes.indexOf(b.label), b, w, h));
                        n++;
                    }
                    Files.writeString(labels.resolve(stem + ".txt"), yolo, StandardCharsets.UTF_8);
                    manifest.write(String.join(",", csv("images/" + name), csv(p.partId), Long.toString(p.seq),
                            p.passed ? "PASS" : "REJECT", csv(p.recipe), csv(p.model), p.triggeredAt.toString(),
                            r.labels().name().toLowerCase(Locale.ROOT), Integer.toString(n), csv(p.reasons)) + "\n");
                    imageCount++;
                    boxes += n;
                }
            }
        }
        Files.write(r.to().resolve("classes.txt"), classes, StandardCharsets.UTF_8);
        return new Summary(parts.size(), rejects, passes, imageCount, boxes, List.copyOf(classes), missing);
    }

    /**
     * Parses a point in time as an engineer writes it: {@code 2026-11-20} (midnight UTC),
     * {@code 2026-11-20T06:00:00Z}, or how long ago: {@code 90m}, {@code 24h}, {@code 7d}.
     */
    public static Instant parseWhen(String text, Instant now) {
        String t = text.strip();
        try {
            if (t.matches("\\d+[mhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                long seconds = switch (t.charAt(t.length() - 1)) {
                    case 'm' -> n * 60;
                    case 'h' -> n * 3600;
                    default -> n * 86_400;
                };
                return now.minusSeconds(seconds);
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use 2026-11-20, 2026-11-20T06:00:00Z,"
                    + " or how long ago (90m, 24h, 7d)", e);
        }
    }

    private record Box(@Nullable String shot, String label, double x1, double y1, double x2, double y2) {
    }

    record Part(Path folder, String partId, long seq, boolean passed, String recipe, String model,
                Instant triggeredAt, String reasons, List<JsonNode> images, List<Box> boxes) {
    }

    /** Side-cars of the day folders that can hold parts in the window, filtered; oldest first. */
    static List<Part> select(Request r) throws IOException {
        LocalDate first = r.since().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = r.until().atZone(ZoneOffset.UTC).toLocalDate();
        List<Path> sideCars = new ArrayList<>();
        try (Stream<Path> days = Files.list(r.archiveRoot())) {
            for (Path day : days.filter(Files::isDirectory).sorted().toList()) {
                LocalDate d;
                try {
                    d = LocalDate.parse(day.getFileName().toString());
                } catch (DateTimeParseException e) {
                    continue; // not a day folder
                }
                if (d.isBefore(first) || d.isAfter(last)) {
                    continue;
                }
                LiveFolder.files(day, 2, f -> f.endsWith(".json")).stream().sorted().forEach(sideCars::add);
            }
        }
        List<Part> out = new ArrayList<>();
        for (Path f : sideCars) {
            JsonNode n;
            try {
                n = JSON.readTree(f.toFile());
            } catch (IOException e) {
                throw new IOException(f + ": not a readable side-car (" + e.getMessage() + ")", e);
            }
            Instant at = Instant.parse(n.path("triggeredAt").asText());
            boolean passed = "PASS".equals(n.path("result").asText());
            String recipe = n.path("recipe").asText();
            if (at.isBefore(r.since()) || !at.isBefore(r.until())
                    || r.results() == Results.PASS && !passed || r.results() == Results.REJECT && passed
                    || r.recipe() != null && !recipeName(recipe).equals(r.recipe())) {
                continue;
            }
            List<JsonNode> images = new ArrayList<>();
            n.path("images").forEach(img -> {
                if (r.shot() == null || r.shot().equals(img.path("shot").asText())) {
                    images.add(img);
                }
            });
            List<Box> boxes = new ArrayList<>();
            if (r.labels() == LabelSource.DETECTIONS) {
                for (JsonNode d : n.path("detections")) {
                    if (d.path("score").asDouble() >= r.minScore()) {
                        boxes.add(box(d.path("shot").asText(), d.path("class").asText(), d.path("box")));
                    }
                }
            } else {
                for (JsonNode t : n.path("truth")) {
                    boxes.add(box(null, t.path("label").asText(), t.path("box")));
                }
            }
            List<String> reasons = new ArrayList<>();
            for (JsonNode why : n.path("reasons")) {
                reasons.add(why.path("code").asText() + "(" + why.path("source").asText() + ": " + why.path("detail").asText() + ")");
            }
            out.add(new Part(java.util.Objects.requireNonNull(f.getParent(), "side-car folder"), n.path("partId").asText(), n.path("seq").asLong(), passed, recipe,
                    n.path("model").asText(), at, String.join("; ", reasons), images, boxes));
        }
        out.sort((a, b) -> a.triggeredAt.compareTo(b.triggeredAt));
        return out;
    }

    /** {@code bracket@3} → {@code bracket}. */
    private static String recipeName(String label) {
        int at = label.lastIndexOf('@');
        return at < 0 ? label : label.substring(0, at);
    }

    private static Box box(@Nullable String shot, String label, JsonNode b) {
        return new Box(shot, label, b.path(0).asDouble(), b.path(1).asDouble(), b.path(2).asDouble(), b.path(3).asDouble());
    }

    /** One YOLO label line, the box clipped to the image. */
    static String yoloLine(int cls, Box b, int w, int h) {
        double x1 = clamp(b.x1, w);
        double x2 = clamp(b.x2, w);
        double y1 = clamp(b.y1, h);
        double y2 = clamp(b.y2, h);
        return String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", cls, (x1 + x2) / 2 / w, (y1 + y2) / 2 / h,
                (x2 - x1) / w, (y2 - y1) / h);
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
