/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.archive.ArchivedPart;
import io.linesight.station.archive.ImageArchive;
import io.linesight.station.archive.ImageFate;
import io.linesight.station.report.StoreLocation;
import io.linesight.station.store.ResultQueries.Images;
import io.linesight.station.store.ResultQueries.PartRecord;
import io.linesight.station.store.ResultsStore;
import io.linesight.station.store.SpoolBacklog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code station archive --part ID}: a part's stored verdict(s) and what became of its images, as the results store
 * recorded it (stored, dropped and why, deleted by retention or quota), never guessed from missing files. With
 * {@code --overlays DIR} the part's overlays are drawn on its archived images (by the renderer the HMI uses) into DIR.
 */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Find a part: print its stored verdict(s) and what became of its archived images.")
final class ArchiveCommand implements Callable<Integer> {
    @Option(names = "--part", required = true, paramLabel = "ID", description = "the part id (as the PLC sent it)")
    String partId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the station's data folder (results.db, archive/)")
    Path dataDir;

    @Option(names = "--config", paramLabel = "STATION_YAML", description = "the station's configuration (its database and data folder)")
    Path config;

    @Option(names = "--overlays", paramLabel = "DIR",
            description = "draw the part's overlays on its archived images, one PNG per shot, into DIR")
    Path overlays;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        try {
            StoreLocation where = StoreLocation.of(config, dataDir);
            List<PartRecord> found;
            try (ResultsStore store = where.open()) {
                found = store.queries().findPart(partId);
            }
            SpoolBacklog spool = SpoolBacklog.of(where.dataDir());
            if (found.isEmpty()) {
                out.println("part " + partId + ": not in the results store" + (spool.rows() > 0
                        ? " (" + spool.rows() + " results are still on the station's spool, not yet in the database)" : ""));
                return 1;
            }
            for (PartRecord r : found) {
                print(r, where.archiveRoot(), spool);
            }
            return 0;
        } catch (IOException | SQLException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
    }

    private void print(PartRecord r, Path archiveRoot, SpoolBacklog spool) throws IOException {
        out.printf(Locale.ROOT, "part %s  seq %d  station %s/%s  %s %s  recipe %s@%d  model %s  triggered %s  latency %.1f ms%n",
                r.partId(), r.seq(), r.line(), r.station(), r.result(), r.reasons(), r.recipe(), r.version(),
                r.model().isEmpty() ? "-" : r.model(), r.triggeredAt(), r.latencyMs());
        if (r.lateResult() != null) {
            out.println("  decided after the deadline: " + r.lateResult());
        }
        Images img = r.images();
        if (img == null && r.archivePath() == null) {
            out.println("PASS".equals(r.result())
                    ? "  images: not archived (good parts are sampled; see the recipe's archive policy)"
                    : "  images: not archived (the recipe's archive policy does not keep rejects, or the part was not imaged)");
            return;
        }
        String stem = ImageArchive.stem(r.partId(), r.seq());
        if (img == null) {
            Path sideCar = archiveRoot.resolve(r.archivePath()).resolve(stem + ".json");
            out.println("  images: queued for " + r.archivePath() + "; no record of what became of them (the station "
                    + "stopped before its archive said so, or the part predates image records"
                    + (spool.rows() > 0 ? ", or the record is among the " + spool.rows() + " results still on the spool" : "")
                    + ")");
            out.println("  record: " + sideCar.toAbsolutePath() + (Files.exists(sideCar) ? "  (present)" : "  (absent)"));
            listFiles(sideCar.getParent(), stem);
            return;
        }
        switch (img.state()) {
            case "STORED" -> {
                Path dir = archiveRoot.resolve(img.folder());
                Path sideCar = dir.resolve(stem + ".json");
                out.println("  images: stored " + img.at() + " in " + img.folder());
                out.println("  record: " + sideCar.toAbsolutePath()
                        + (Files.exists(sideCar) ? "" : "  (ABSENT although recorded as stored: removed by hand?)"));
                listFiles(dir, stem);
                if (overlays != null && Files.exists(sideCar)) {
                    drawOverlays(ArchivedPart.read(sideCar), stem);
                }
            }
            case "DROPPED" -> out.println("  images: not archived, dropped " + img.at() + ": " + words(img.reason())
                    + (img.detail().isEmpty() ? "" : " (" + img.detail() + ")"));
            case "DELETED" -> out.println("  images: deleted " + img.at() + " by " + words(img.reason())
                    + (img.storedAt() == null ? "" : " (stored " + img.storedAt() + ")") + " from " + img.folder());
            default -> out.println("  images: " + img.state() + " " + img.reason() + " " + img.detail());
        }
    }

    private static String words(String reason) {
        try {
            return ImageFate.Reason.valueOf(reason).words();
        } catch (IllegalArgumentException e) {
            return reason;
        }
    }

    private void listFiles(Path dir, String stem) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().startsWith(stem + "_")).sorted()
                        .forEach(p -> out.println("  image:  " + p.toAbsolutePath()));
            }
        }
    }

    private void drawOverlays(ArchivedPart part, String stem) throws IOException {
        Files.createDirectories(overlays);
        for (String shot : part.shots()) {
            Path png = overlays.resolve(stem + "_" + shot + "_overlay.png");
            if (!ImageIO.write(part.drawn(shot), "png", png.toFile())) {
                throw new IOException("no PNG writer for " + png);
            }
            out.println("  drawn:  " + png.toAbsolutePath());
        }
    }
}
