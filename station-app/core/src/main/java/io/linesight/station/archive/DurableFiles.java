/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Files that are on disk when the call returns, or not there at all: written under a temporary name, forced, renamed
 * into place; folders forced after the names in them changed. A power cut leaves either the old state or the new one,
 * never a file of the right name with half its bytes.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /**
     * Writes {@code bytes[0, length)} to {@code dir/name}: a temporary {@code .name.tmp} beside it, forced, then renamed.
     * The folder itself is not forced: call {@link #forceDirectory} once after the last file of a group.
     *
     * @return the bytes written
     */
    public static long write(Path dir, String name, byte[] bytes, int length) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return length;
    }

    /**
     * Creates {@code dir} and any missing parents up to {@code root}, forcing each parent whose entries changed, so
     * the new folders survive a power cut.
     */
    public static void createDirectories(Path root, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        Files.createDirectories(dir);
        for (Path p : missing) {
            Path parent = p.getParent();
            if (parent != null && parent.startsWith(root.getParent() == null ? root : root.getParent())) {
                forceDirectory(parent);
            }
        }
    }

    /** Forces a folder's entries (new, renamed or deleted names) to disk. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
