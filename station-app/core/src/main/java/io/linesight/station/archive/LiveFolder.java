/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * Lists the files of a folder the station is writing into while it is read: the archive writes each file under a
 * temporary name and renames it when durable, so an entry seen by the directory listing can be gone a moment later.
 * {@link Files#walk} throws for such an entry; this skips it (it was a temporary file, or a file the housekeeper just
 * removed) and names any other error.
 */
public final class LiveFolder {
    private LiveFolder() {
    }

    /** The regular files under {@code root}, at most {@code maxDepth} levels down, whose names {@code name} accepts. */
    public static List<Path> files(Path root, int maxDepth, Predicate<String> name) throws IOException {
        List<Path> out = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), maxDepth, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && name.test(file.getFileName().toString())) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // renamed or removed while listed
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }
}
