/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A scratch folder for a fuzz target that writes files for every input: on a RAM file system where there is one
 * ({@code /dev/shm}), so that the code's fsyncs do not make the fuzzer wait for a disk (on a loaded machine the
 * journal target managed 44 inputs a second on disk). Emptied between inputs with {@link #clear}, removed at exit.
 */
public final class FuzzFolder {
    private FuzzFolder() {
    }

    public static Path create(String prefix) {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, prefix) : Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    clear(dir);
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary folder: the system cleans it
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes everything inside {@code dir}, keeping {@code dir}. */
    public static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList();
            for (Path p : paths) {
                Files.delete(p);
            }
        }
    }
}
