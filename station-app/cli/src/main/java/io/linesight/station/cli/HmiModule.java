/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.cli;

import io.linesight.station.OperatorHmi;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds the operator HMI when a screen is wanted. The launcher's class path holds the station core only; the HMI and
 * JavaFX live in the folder {@code hmi} beside the core's jar ({@code target/lib/hmi/} of the build,
 * {@code lib/app/hmi/} of the package) and are loaded from there, so a headless station never has JavaFX on its class
 * path. Where the HMI is on the class path already (tests, IDEs), that one is used.
 */
final class HmiModule {
    private HmiModule() {
    }

    /**
     * Whether a display is there to open a window on (an X or Wayland display, and not {@code java.awt.headless});
     * asked before the HMI is loaded, so a station without a screen never loads it.
     */
    static boolean displayAvailable() {
        String display = System.getenv("DISPLAY");
        String wayland = System.getenv("WAYLAND_DISPLAY");
        boolean any = display != null && !display.isBlank() || wayland != null && !wayland.isBlank();
        return any && !Boolean.getBoolean("java.awt.headless");
    }

    /**
     * The HMI, loading it on first use; the current thread's context class loader becomes the HMI's loader, so the
     * toolkit threads it starts find their resources.
     *
     * @throws IllegalStateException naming the folder looked in, when no HMI is installed
     */
    static OperatorHmi load() {
        Iterator<OperatorHmi> onClassPath = ServiceLoader.load(OperatorHmi.class, OperatorHmi.class.getClassLoader())
                .iterator();
        if (onClassPath.hasNext()) {
            return onClassPath.next();
        }
        Path folder = folder();
        List<URL> jars = jars(folder);
        if (jars.isEmpty()) {
            throw new IllegalStateException("the operator HMI is not installed: no jars in " + folder
                    + " (run with --headless, or reinstall)");
        }
        ClassLoader loader = new URLClassLoader("hmi", jars.toArray(URL[]::new), OperatorHmi.class.getClassLoader());
        Iterator<OperatorHmi> found = ServiceLoader.load(OperatorHmi.class, loader).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("the operator HMI is not installed: " + folder + " holds no HMI");
        }
        Thread.currentThread().setContextClassLoader(loader);
        return found.next();
    }

    /** The folder {@code hmi} beside the jar (or classes folder) the station core was loaded from. */
    static Path folder() {
        try {
            Path core = Path.of(OperatorHmi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return core.toAbsolutePath().getParent().resolve("hmi");
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the station core was loaded from: " + e, e);
        }
    }

    private static List<URL> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().map(HmiModule::url).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + folder + ": " + e.getMessage(), e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(jar + ": " + e.getMessage(), e);
        }
    }
}
