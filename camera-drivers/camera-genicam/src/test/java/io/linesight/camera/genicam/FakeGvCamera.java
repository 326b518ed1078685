/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;


import io.linesight.camera.api.CameraException;
import io.linesight.camera.api.CameraInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code arv-fake-gv-camera-0.8} process speaking GigE Vision on the loopback interface, started and killed
 * by tests. Only one process can hold the GVCP port on 127.0.0.1, so the serial number tells ours apart in
 * discovery and a start that finds the port taken is retried for a while.
 */
final class FakeGvCamera {
    static final String PROGRAM = "arv-fake-gv-camera-0.8";
    private final String serial;
    private final Path log;
    private @Nullable Process process;

    FakeGvCamera(String serial) throws IOException {
        this.serial = serial;
        this.log = Files.createTempFile("fake-gv-" + serial, ".log");
    }

    /** Skips the calling test when aravis-tools is not installed (.ci/install-aravis.sh installs it); fails in CI. */
    static void assumeInstalled() {
        Aravis.assumeInstalled();
        Aravis.peer(onPath(PROGRAM), PROGRAM + " not found (install aravis-tools: run .ci/install-aravis.sh)");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    String serial() {
        return serial;
    }

    /** Starts the process and waits until Aravis discovery sees it (up to about 20 s when the port is busy). */
    void start() throws IOException, InterruptedException, CameraException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            // nice -n -5: on a loaded CI machine the fake's 40 ms trigger tick must not wake late (that drops
            // triggers); without the right to raise priority, nice warns and runs it as it is
            Process p = new ProcessBuilder("nice", "-n", "-5", PROGRAM, "-i", "127.0.0.1", "-s", serial)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            process = p;
            if (!p.waitFor(300, TimeUnit.MILLISECONDS) && discoverable()) {
                return;
            }
            stopProcess();
            if (System.nanoTime() > deadline) {
                throw new IOException(PROGRAM + " did not come up on 127.0.0.1 (port 3956 busy?); log: "
                        + Files.readString(log));
            }
            Thread.sleep(500);
        }
    }

    private boolean discoverable() throws CameraException, InterruptedException {
        ArvLib lib = java.util.Objects.requireNonNull(ArvLib.orNull());
        for (int i = 0; i < 10; i++) {
            for (CameraInfo c : ArvDiscovery.devices(lib)) {
                if (c.serial().equals(serial)) {
                    return true;
                }
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** SIGKILL, as a power cut or a pulled cable looks to the host: no goodbye on the wire. */
    void kill() throws InterruptedException {
        stopProcess();
    }

    private void stopProcess() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Kills the process and removes its log. */
    void close() throws InterruptedException {
        stopProcess();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }
}
