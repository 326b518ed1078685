/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the archive inside its limits: day folders older than the retention go first, then, while the archive is over
 * its quota, the oldest files (by day folder, then by modification time). Runs on the archive's own thread, between
 * writes; never touches anything outside {@code root}'s day folders.
 */
final class ArchiveHousekeeper {
    private static final Logger log = LoggerFactory.getLogger(ArchiveHousekeeper.class);

    private final Path root;
    private final long quotaBytes;
    private final int retentionDays;
    private long bytes = -1; // -1: not measured yet

    ArchiveHousekeeper(Path root, long quotaBytes, int retentionDays) {
        this.root = root;
        this.quotaBytes = quotaBytes;
        this.retentionDays = retentionDays;
    }

    void added(long n) {
        if (bytes >= 0) {
            bytes += n;
        }
    }

    /** Bytes the archive holds (measured on the first pass, then kept up to date). */
    long bytes() throws IOException {
        if (bytes < 0) {
            bytes = 0;
            for (Path day : days()) {
                bytes += size(day);
            }
        }
        return bytes;
    }

    /** One pass: age, then quota. Returns the bytes deleted. */
    long run(LocalDate today) throws IOException {
        long freed = 0;
        LocalDate oldestKept = today.minusDays(retentionDays);
        for (Path day : days()) {
            LocalDate d = LocalDate.parse(day.getFileName().toString());
            if (d.isBefore(oldestKept)) {
                long n = size(day);
                deleteTree(day);
                freed += n;
                log.atInfo().setMessage("archive day deleted (retention)").addKeyValue("day", d).addKeyValue("bytes", n).log();
            }
        }
        bytes = -1;
        long total = bytes();
        if (total > quotaBytes) {
            long over = total - quotaBytes;
            long deleted = 0;
            for (Path day : days()) {
                List<Path> files = new ArrayList<>();
                try (Stream<Path> s = Files.walk(day)) {
                    s.filter(Files::isRegularFile).forEach(files::add);
                }
                files.sort(Comparator.comparing(ArchiveHousekeeper::modified).thenComparing(Path::toString));
                for (Path f : files) {
                    if (deleted >= over) {
                        break;
                    }
                    deleted += Files.size(f);
                    Files.deleteIfExists(f);
                }
                removeEmpty(day);
                if (deleted >= over) {
                    break;
                }
            }
            freed += deleted;
            bytes = total - deleted;
            log.atInfo().setMessage("archive over quota, oldest images deleted").addKeyValue("bytes", deleted)
                    .addKeyValue("quotaBytes", quotaBytes).log();
        }
        return freed;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Day folders ({@code yyyy-MM-dd}), oldest first. */
    List<Path> days() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).filter(p -> isDay(p.getFileName().toString())).sorted().toList();
        }
    }

    private static boolean isDay(String name) {
        try {
            LocalDate.parse(name);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.readAttributes(p, BasicFileAttributes.class).size();
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void removeEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).filter(Files::isDirectory).toList()) {
                try (Stream<Path> children = Files.list(p)) {
                    if (children.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
