/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Puts the HMI's drawing below inspection in the scheduler's eyes. On an industrial PC without a GPU JavaFX renders
 * in software, in bursts of several milliseconds per refresh; at the same priority as the inspection threads such a
 * burst holds a core while a part waits for it, which shows in the station's p99 latency, not in its mean. At a higher
 * nice value the renderer and the FX thread still get every idle cycle, but a waking inspection thread preempts them
 * at once and, on a saturated machine, gets about nine tenths of the core. A slower screen under overload is the
 * right trade: the verdict is what the line waits for.
 *
 * <p>Linux only (per-thread {@code setpriority}); elsewhere, or where a system-call filter refuses it, it reports why
 * and changes nothing. Raising a thread's own nice value needs no privilege.
 */
final class DisplayPriority {
    /** The nice value the HMI's threads get: 10 gives a nice-0 thread about 9x their CPU share when both want it. */
    static final int NICE = 10;
    /**
     * System property that sets another nice value for the HMI's threads, 0..19 ({@code -Dlinesight.hmi.nice=0}
     * through {@code LINESIGHT_JAVA_OPTS}: the HMI keeps the station's priority, e.g. on a machine with cores to spare
     * where the screen should stay smooth under any load).
     */
    static final String PROPERTY = "linesight.hmi.nice";
    /** JavaFX's own threads, by their kernel name (15 characters at most). */
    private static final Set<String> TOOLKIT_THREADS = Set.of("QuantumRenderer", "InvokeLaterDisp", "Prism Font Disp");
    private static final int PRIO_PROCESS = 0;

    private DisplayPriority() {
    }

    /**
     * Lowers the calling thread (call it on the FX application thread, whose kernel name is the launcher's, not its
     * Java name) and JavaFX's renderer threads to {@link #NICE}, or the value of {@link #PROPERTY}.
     *
     * @return what was done, for the log: the threads lowered, or why nothing was
     */
    static String lowerToolkitThreads() {
        return lowerToolkitThreads(System.getProperty(PROPERTY, Integer.toString(NICE)));
    }

    static String lowerToolkitThreads(String niceSetting) {
        int nice;
        try {
            nice = Integer.parseInt(niceSetting.strip());
        } catch (NumberFormatException e) {
            nice = -1;
        }
        if (nice < 0 || nice > 19) {
            return "HMI threads keep their priority: -D" + PROPERTY + "=" + niceSetting + " is not a nice value 0..19";
        }
        if (nice == 0) {
            return "HMI threads keep the station's priority (-D" + PROPERTY + "=0)";
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "not on Linux: HMI threads keep their priority";
        }
        try {
            MethodHandle setpriority = setpriority();
            List<String> lowered = new ArrayList<>();
            int self = tidOfCallingThread();
            set(setpriority, self, nice);
            lowered.add(Thread.currentThread().getName() + " (" + self + ")");
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    String name = comm(task);
                    if (name != null && TOOLKIT_THREADS.contains(name)) {
                        int tid = Integer.parseInt(task.getFileName().toString());
                        set(setpriority, tid, nice);
                        lowered.add(name + " (" + tid + ")");
                    }
                }
            }
            return "HMI threads at nice " + nice + " below inspection: " + String.join(", ", lowered);
        } catch (Throwable e) {
            return "HMI threads keep their priority: " + e;
        }
    }

    /** The nice value of thread {@code tid} of this process, read back from the kernel (for tests). */
    static int niceOf(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // fields after the command name in parentheses: state is field 3, nice field 19
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[19 - 3]);
    }

    /** The kernel's id of the calling thread ({@code /proc/thread-self} links to {@code PID/task/TID}). */
    static int tidOfCallingThread() throws IOException {
        Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(link.getFileName().toString());
    }

    private static @Nullable String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return null; // the thread ended while the list was read
        }
    }

    @SuppressWarnings("restricted") // one libc call with int arguments, no memory passed
    private static MethodHandle setpriority() {
        Linker linker = Linker.nativeLinker();
        Optional<java.lang.foreign.MemorySegment> fn = linker.defaultLookup().find("setpriority");
        return linker.downcallHandle(fn.orElseThrow(() -> new UnsupportedOperationException("no setpriority in libc")),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static void set(MethodHandle setpriority, int tid, int nice) throws Throwable {
        int rc = (int) setpriority.invokeExact(PRIO_PROCESS, tid, nice);
        if (rc != 0) {
            throw new IOException("setpriority(" + tid + ", " + nice + ") failed");
        }
    }
}
