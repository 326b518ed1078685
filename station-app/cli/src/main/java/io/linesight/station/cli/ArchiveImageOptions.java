/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.config.recipe.Roi;
import io.linesight.station.archive.DatasetExport;
import io.linesight.station.archive.ShotImages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The anomaly commands' way into the station's own archive: {@code --archive DATA_DIR --shot NAME [--since 24h]
 * [--until WHEN] [--recipe NAME] [--roi X,Y,W,H]} pick one shot's images of a time window, cut to the recipe's anomaly
 * ROI, into temporary folders that {@link #close()} deletes. The other arguments pass through to the tool.
 */
final class ArchiveImageOptions implements AutoCloseable {
    private static final List<String> OPTIONS = List.of("--archive", "--shot", "--since", "--until", "--recipe", "--roi");

    private final Map<String, String> values;
    /** The arguments that are not archive options, for the tool. */
    final List<String> rest;
    private final Path archive;
    private final Instant since;
    private final Instant until;
    private final @Nullable Roi roi;
    private final List<Path> made = new ArrayList<>();

    private ArchiveImageOptions(Map<String, String> values, List<String> rest) {
        this.values = values;
        this.rest = rest;
        Instant now = Instant.now();
        this.archive = Path.of(values.get("--archive")).resolve("archive");
        this.since = DatasetExport.parseWhen(values.getOrDefault("--since", "24h"), now);
        this.until = values.containsKey("--until") ? DatasetExport.parseWhen(values.get("--until"), now) : now;
        this.roi = values.containsKey("--roi") ? roi(values.get("--roi")) : null;
    }

    /**
     * Splits the archive options off {@code args}; null when {@code --archive} is not among them.
     *
     * @throws IllegalArgumentException naming the option that is missing its value or is malformed, or a missing --shot
     */
    static @Nullable ArchiveImageOptions parse(List<String> args) {
        if (!args.contains("--archive")) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (OPTIONS.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(a, args.get(++i));
            } else {
                rest.add(a);
            }
        }
        if (!values.containsKey("--shot")) {
            throw new IllegalArgumentException("--archive takes the images of one shot: give --shot NAME");
        }
        return new ArchiveImageOptions(values, rest);
    }

    String shot() {
        return values.get("--shot");
    }

    /**
     * The shot's images of the PASS or REJECT parts, cut to the ROI, in {@code into} or else a new temporary folder.
     *
     * @throws IOException naming the archive or image that cannot be read
     */
    Path export(DatasetExport.Results results, @Nullable Path into, String tool, PrintStream err) throws IOException {
        Path dir = into != null ? into : Files.createTempDirectory(tool + "-");
        if (into == null) {
            made.add(dir);
        }
        ShotImages.Summary s = ShotImages.export(archive, since, until, results, values.get("--recipe"), shot(), roi, dir);
        err.printf("%s: %d %s images of shot %s from %d parts in %s (%s .. %s)%s%n", tool, s.images(), results, shot(),
                s.parts(), archive, since, until,
                s.missing() > 0 ? "; " + s.missing() + " missing from the archive (retention or quota)" : "");
        return dir;
    }

    /** {@code X,Y,W,H} in frame pixels. */
    static Roi roi(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("--roi " + text + " must be X,Y,WIDTH,HEIGHT in frame pixels");
        }
        int[] v = new int[4];
        try {
            for (int i = 0; i < 4; i++) {
                v[i] = Integer.parseInt(p[i].strip());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--roi " + text + " must be X,Y,WIDTH,HEIGHT in whole frame pixels", e);
        }
        if (v[0] < 0 || v[1] < 0 || v[2] < 1 || v[3] < 1) {
            throw new IllegalArgumentException("--roi " + text + ": x and y must be >= 0, width and height >= 1");
        }
        return new Roi(v[0], v[1], v[2], v[3]);
    }

    /** Deletes the temporary folders (a folder given with {@code into} stays). */
    @Override
    public void close() {
        for (Path dir : made) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind is harmless; the tool's result is written already
            }
        }
    }
}
