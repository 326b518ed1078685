/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.archive.ImageArchive;
import io.linesight.station.report.StoreLocation;
import io.linesight.station.store.ResultQueries.PartRecord;
import io.linesight.station.store.ResultsStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code station archive --part ID}: where a part's record and images are. */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Find a part: print its stored verdict(s) and where its archived images and side-car are.")
final class ArchiveCommand implements Callable<Integer> {
    @Option(names = "--part", required = true, paramLabel = "ID", description = "the part id (as the PLC sent it)")
    String partId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the station's data folder (results.db, archive/)")
    Path dataDir;

    @Option(names = "--config", paramLabel = "STATION_YAML", description = "the station's configuration (its database and data folder)")
    Path config;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        try {
            StoreLocation where = StoreLocation.of(config, dataDir);
            List<PartRecord> found;
            try (ResultsStore store = where.open()) {
                found = store.queries().findPart(partId);
            }
            if (found.isEmpty()) {
                out.println("part " + partId + ": not in the results store");
                return 1;
            }
            for (PartRecord r : found) {
                print(r, where.archiveRoot());
            }
            return 0;
        } catch (IOException | SQLException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    private void print(PartRecord r, Path archiveRoot) throws IOException {
        out.printf(Locale.ROOT, "part %s  seq %d  station %s/%s  %s %s  recipe %s@%d  model %s  triggered %s  latency %.1f ms%n",
                r.partId(), r.seq(), r.line(), r.station(), r.result(), r.reasons(), r.recipe(), r.version(),
                r.model().isEmpty() ? "-" : r.model(), r.triggeredAt(), r.latencyMs());
        if (r.lateResult() != null) {
            out.println("  decided after the deadline: " + r.lateResult());
        }
        if (r.archivePath() == null) {
            out.println("PASS".equals(r.result())
                    ? "  images: not archived (good parts are sampled; see the recipe's archive policy)"
                    : "  images: none archived (no frames reached the archive: not imaged, or the archive was paused)");
            return;
        }
        Path dir = archiveRoot.resolve(r.archivePath());
        String stem = ImageArchive.stem(r.partId(), r.seq());
        Path sideCar = dir.resolve(stem + ".json");
        out.println("  record: " + sideCar.toAbsolutePath() + (Files.exists(sideCar) ? "" : "  (missing: deleted by retention or quota?)"));
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().startsWith(stem + "_")).sorted()
                        .forEach(p -> out.println("  image:  " + p.toAbsolutePath()));
            }
        }
    }
}
