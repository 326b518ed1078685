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
        if (System.getenv("CI") == null) {
            assumeThat(ROOT || sudoWorks()).as("mounting a tmpfs needs root or password-less sudo").isTrue();
        }
        Files.createDirectories(dir);
        run(privileged("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString()));
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

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /** As root the command itself; otherwise through password-less sudo (a CI runner that is not root). */
    private static String[] privileged(String... command) {
        if (ROOT) {
            return command;
        }
        String[] c = new String[command.length + 2];
        c[0] = "sudo";
        c[1] = "-n";
        System.arraycopy(command, 0, c, 2, command.length);
        return c;
    }

    private static boolean sudoWorks() {
        try {
            Process p = new ProcessBuilder("sudo", "-n", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
            run(privileged("umount", "-l", dir.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("umount " + dir + " interrupted", e);
        }
    }
}
