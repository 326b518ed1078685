/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small filesystem (tmpfs) mounted by the test, to see what the station does when a disk is full. Needs
 * root (CI runs as root); elsewhere the test is skipped with the reason, and in CI (CI set) a missing privilege fails.
 */
public final class SmallFilesystem implements AutoCloseable {
    private final Path dir;

    private SmallFilesystem(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} (rounded up to pages by the kernel) on {@code dir}. */
    public static SmallFilesystem mount(Path dir, long bytes) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") == null) {
            assumeThat(root).as("mounting a tmpfs needs root").isTrue();
        }
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        return new SmallFilesystem(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Fills what is left with a ballast file; returns it (delete it to free the space). */
    public Path fill() throws IOException {
        Path ballast = dir.resolve("ballast");
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device: that was the point
        }
        return ballast;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("umount", "-l", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("umount " + dir + " interrupted", e);
        }
    }
}
