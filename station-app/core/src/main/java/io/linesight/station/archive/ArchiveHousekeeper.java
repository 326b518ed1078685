/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the archive inside its limits: day folders older than the retention go first, then, while the archive is over
 * its quota, the oldest parts (by day folder, then by when their side-car was written), each part whole: its side-car
 * first, then its images, so no side-car ever lists images that are gone. Every part deleted is reported (DELETED,
 * RETENTION or QUOTA) so the results store knows. Files no side-car names (left by a crash, or by hand) are deleted
 * by age like parts; temporary files of an interrupted write after an hour. Runs on the archive's own thread, between
 * writes; never touches anything outside {@code root}'s day folders.
 */
final class ArchiveHousekeeper {
    private static final Logger log = LoggerFactory.getLogger(ArchiveHousekeeper.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STALE_TMP_MS = TimeUnit.HOURS.toMillis(1);

    private final Path root;
    private final long quotaBytes;
    private final int retentionDays;
    private final Consumer<ImageFate> deleted;
    private long bytes = -1; // -1: not measured yet

    ArchiveHousekeeper(Path root, long quotaBytes, int retentionDays, Consumer<ImageFate> deleted) {
        this.root = root;
        this.quotaBytes = quotaBytes;
        this.retentionDays = retentionDays;
        this.deleted = deleted;
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
                List<Item> items = items(day);
                deleteTree(day);
                int parts = 0;
                for (Item it : items) {
                    if (reportGone(it, ImageFate.Reason.RETENTION)) {
                        parts++;
                    }
                }
                freed += n;
                log.atInfo().setMessage("archive day deleted (retention)").addKeyValue("day", d)
                        .addKeyValue("parts", parts).addKeyValue("bytes", n).log();
            }
        }
        deleteStaleTemporaries();
        bytes = -1;
        long total = bytes();
        if (total > quotaBytes) {
            long over = total - quotaBytes;
            long deletedBytes = 0;
            int parts = 0;
            for (Path day : days()) {
                // side-cars are read one by one, oldest first, only as far as needed: a day can hold 100,000 parts
                for (Path sideCar : sideCarsOldestFirst(day)) {
                    if (deletedBytes >= over) {
                        break;
                    }
                    Item it = part(sideCar);
                    if (it != null) {
                        deletedBytes += it.delete();
                        parts++;
                        reportGone(it, ImageFate.Reason.QUOTA);
                    }
                }
                if (deletedBytes < over) { // the day's parts are gone: what is left is lone files
                    for (Item it : items(day)) {
                        if (deletedBytes >= over) {
                            break;
                        }
                        deletedBytes += it.delete();
                        if (reportGone(it, ImageFate.Reason.QUOTA)) {
                            parts++;
                        }
                    }
                }
                removeEmpty(day);
                if (deletedBytes >= over) {
                    break;
                }
            }
            freed += deletedBytes;
            bytes = total - deletedBytes;
            log.atInfo().setMessage("archive over quota, oldest parts deleted").addKeyValue("parts", parts)
                    .addKeyValue("bytes", deletedBytes).addKeyValue("quotaBytes", quotaBytes).log();
        }
        return freed;
    }

    private boolean reportGone(Item it, ImageFate.Reason why) {
        ImageFate fate = it.fate(root, why);
        if (fate != null) {
            deleted.accept(fate);
            return true;
        }
        return false;
    }

    /**
     * A part (its side-car and the files it names) or a file no side-car names, with its size and age.
     *
     * @param sideCar null for a lone file
     */
    private record Item(@Nullable Path sideCar, @Nullable JsonNode side, List<Path> files, long bytes, long modifiedMs) {
        /** Deletes its files, side-car first; returns the bytes freed. */
        long delete() throws IOException {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            return bytes;
        }

        @Nullable ImageFate fate(Path root, ImageFate.Reason why) {
            if (side == null || sideCar == null) {
                return null;
            }
            return ImageFate.deleted(side.path("partId").asText(), side.path("seq").asLong(), why,
                    root.relativize(sideCar.getParent()).toString(), Instant.now());
        }
    }

    /** A day's side-cars, oldest first (by when they were written); nothing is read but their times. */
    private static List<Path> sideCarsOldestFirst(Path day) throws IOException {
        if (!Files.isDirectory(day)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(day)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).filter(Files::isRegularFile)
                    .sorted(Comparator.comparingLong(ArchiveHousekeeper::modified).thenComparing(Path::toString))
                    .toList();
        }
    }

    /** One part: its side-car and the files it names; null when the side-car cannot be read (a lone file then). */
    private static @Nullable Item part(Path sideCar) {
        JsonNode side;
        try {
            side = JSON.readTree(sideCar.toFile());
        } catch (IOException e) {
            return null;
        }
        List<Path> mine = new ArrayList<>();
        mine.add(sideCar);
        for (JsonNode img : side.path("images")) {
            for (String field : List.of("file", "overlay")) {
                String name = img.path(field).asText("");
                if (!name.isEmpty() && !name.contains("/") && !name.contains("\\")) {
                    Path p = sideCar.resolveSibling(name);
                    if (Files.exists(p)) {
                        mine.add(p);
                    }
                }
            }
        }
        long size = 0;
        for (Path p : mine) {
            size += sizeOf(p);
        }
        return new Item(sideCar, side, mine, size, modified(sideCar));
    }

    /** The parts and lone files of a day folder, oldest first. Side-cars that cannot be read are lone files. */
    private static List<Item> items(Path day) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(day)) {
            try (Stream<Path> s = Files.walk(day)) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        Set<Path> named = new HashSet<>();
        List<Item> out = new ArrayList<>();
        for (Path f : files) {
            if (f.getFileName().toString().endsWith(".json")) {
                Item it = part(f);
                if (it != null) {
                    named.addAll(it.files());
                    out.add(it);
                }
            }
        }
        for (Path f : files) {
            if (!named.contains(f)) {
                out.add(new Item(null, null, List.of(f), sizeOf(f), modified(f)));
            }
        }
        out.sort(Comparator.comparingLong(Item::modifiedMs).thenComparing(i -> i.files().getFirst().toString()));
        return out;
    }

    private void deleteStaleTemporaries() throws IOException {
        long now = System.currentTimeMillis();
        for (Path day : days()) {
            try (Stream<Path> s = Files.walk(day)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(".tmp") && now - modified(p) > STALE_TMP_MS) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).size();
        } catch (IOException e) {
            return 0;
        }
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
            return s.filter(Files::isRegularFile).mapToLong(ArchiveHousekeeper::sizeOf).sum();
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
        if (!Files.isDirectory(dir)) {
            return;
        }
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
