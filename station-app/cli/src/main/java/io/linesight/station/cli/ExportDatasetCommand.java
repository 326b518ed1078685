/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.archive.DatasetExport;
import io.linesight.station.archive.DatasetExport.LabelSource;
import io.linesight.station.archive.DatasetExport.Results;
import io.linesight.station.report.StoreLocation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code station export-dataset --since WHEN --to DIR}: archived images with their detections (or known defects) as
 * YOLO pre-labels, for an engineer to correct and train on with {@code training/}.
 */
@Command(name = "export-dataset", mixinStandardHelpOptions = true,
        description = "Export archived images as a training set: images/, labels/ (YOLO pre-labels from the station's "
                + "detections), classes.txt, manifest.csv (part, verdict, reasons). Correct the labels, then train.")
final class ExportDatasetCommand implements Callable<Integer> {
    @Option(names = "--since", required = true, paramLabel = "WHEN",
            description = "parts triggered from: 2026-11-20, 2026-11-20T06:00:00Z, or how long ago (90m, 24h, 7d)")
    String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "parts triggered before this (default: now)")
    String until;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "new (or empty) folder for the dataset")
    Path to;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the station's data folder (its archive/ is read)")
    Path dataDir;

    @Option(names = "--config", paramLabel = "STATION_YAML", description = "the station's configuration (its data folder)")
    Path config;

    @Option(names = "--labels", paramLabel = "SOURCE", defaultValue = "detections",
            description = "detections (what the model saw) or truth (known defects of the synthetic camera); default ${DEFAULT-VALUE}")
    String labels;

    @Option(names = "--result", paramLabel = "WHICH", defaultValue = "all", description = "all, reject or pass; default ${DEFAULT-VALUE}")
    String result;

    @Option(names = "--recipe", paramLabel = "NAME", description = "only parts of this recipe")
    String recipe;

    @Option(names = "--shot", paramLabel = "NAME", description = "only this shot's images (e.g. the one the model runs on)")
    String shot;

    @Option(names = "--min-score", paramLabel = "S", defaultValue = "0.25",
            description = "detections below this score are not pre-labels; default ${DEFAULT-VALUE}")
    double minScore;

    @Option(names = "--classes", paramLabel = "A,B,…", split = ",",
            description = "class order (the model's, to fine-tune it); other classes seen follow, sorted")
    List<String> classes = new ArrayList<>();

    PrintStream out = System.out;

    @Override
    public Integer call() {
        DatasetExport.Request request;
        try {
            Instant now = Instant.now();
            Path archive = config != null ? StoreLocation.of(config, dataDir).archiveRoot()
                    : (dataDir != null ? dataDir : Path.of("data")).resolve("archive");
            if (minScore < 0 || minScore > 1) {
                throw new IllegalArgumentException("--min-score " + minScore + " must be 0..1");
            }
            request = new DatasetExport.Request(archive, DatasetExport.parseWhen(since, now),
                    until == null ? now : DatasetExport.parseWhen(until, now), to, choice(LabelSource.class, "--labels", labels),
                    choice(Results.class, "--result", result), recipe, shot, minScore, classes);
        } catch (IllegalArgumentException | IOException e) {
            out.println("export-dataset: " + e.getMessage());
            return 2;
        }
        try {
            DatasetExport.Summary s = DatasetExport.run(request);
            out.println(s.line() + " -> " + to);
            if (s.images() == 0) {
                out.println("nothing archived in that window (rejects are always archived, good parts every Nth: the recipe's archive policy)");
            }
            return 0;
        } catch (IOException e) {
            out.println("export-dataset: " + e.getMessage());
            return 1;
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            known.add(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new IllegalArgumentException(option + " '" + value + "' is not one of " + String.join(", ", known));
    }
}
