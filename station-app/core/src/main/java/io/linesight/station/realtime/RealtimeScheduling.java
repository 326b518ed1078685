/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.realtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.linesight.config.station.SchedulingConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the threads that keep the deadline promise (watchdog, PLC sender, MQTT client) under SCHED_FIFO, so that a
 * CPU taken by other processes or by the station's own inspection cannot delay a TIMEOUT past its deadline. Linux
 * only, through the FFM API ({@code sched_setscheduler} and {@code sched_setaffinity} on the calling thread).
 *
 * <p>A thread can only change its own policy, so {@link #threadFactory} wraps each runnable: the new thread asks for
 * its policy first, then runs. The policy is set with SCHED_RESET_ON_FORK: whatever such a thread creates (threads,
 * processes) runs at normal priority. Where the process may not (no CAP_SYS_NICE, RLIMIT_RTPRIO 0, not Linux), the first
 * refusal is logged as an error with what to grant, {@link #status()} says so, and the thread runs at normal
 * priority: the station works, only its fail-safe loses its guarantee under CPU contention.
 */
public final class RealtimeScheduling {
    private static final Logger log = LoggerFactory.getLogger(RealtimeScheduling.class);
    private static final int SCHED_FIFO = 1;
    /**
     * Threads and processes a real-time thread creates start at normal priority. Without it they inherit SCHED_FIFO:
     * a pool thread spawned from the MQTT callback, or a child process, would run real-time and could starve the
     * whole machine.
     */
    private static final int SCHED_RESET_ON_FORK = 0x40000000;
    private static final int CPU_SET_BYTES = 128;

    /** Which threads run as asked, and why the others do not. */
    public record Status(boolean requested, Map<String, String> threads, @Nullable String refusal) {
        /** True when real-time scheduling was asked for and every thread that asked got it. */
        public boolean inForce() {
            return requested && refusal == null && !threads.isEmpty();
        }
    }

    private static volatile SchedulingConfig settings = new SchedulingConfig(false, 10, List.of(), 25);
    private static final Map<String, String> threads = new ConcurrentHashMap<>();
    private static volatile @Nullable String refusal;
    private static final @Nullable Native NATIVE = Native.load();

    private RealtimeScheduling() {
    }

    /** Sets what later {@link #elevateCurrentThread} calls ask for. Called once at station start. */
    public static void configure(SchedulingConfig config) {
        settings = config;
        refusal = null;
        threads.clear();
        if (config.realtime() && NATIVE == null) {
            refuse("real-time scheduling needs Linux (sched_setscheduler not found)");
        }
    }

    /**
     * Asks for SCHED_FIFO (and the CPU set) for the calling thread under {@code role}. Returns null when in force,
     * else the reason it is not; never throws.
     */
    public static @Nullable String elevateCurrentThread(String role) {
        return elevateCurrentThread(role, 0);
    }

    /** As {@link #elevateCurrentThread(String)}, {@code above} priority levels over the configured one (at most 99). */
    static @Nullable String elevateCurrentThread(String role, int above) {
        SchedulingConfig s = settings;
        if (!s.realtime()) {
            return "real-time scheduling is off (scheduling.realtime: false)";
        }
        if (NATIVE == null) {
            return refusal;
        }
        int priority = Math.min(99, s.priority() + above);
        String why = NATIVE.setFifo(priority);
        if (why == null && !s.cpus().isEmpty()) {
            why = NATIVE.setAffinity(s.cpus());
        }
        if (why != null) {
            refuse(why);
            threads.put(role, "normal priority: " + why);
            return why;
        }
        threads.put(role, "SCHED_FIFO " + priority + (s.cpus().isEmpty() ? "" : " on CPUs " + s.cpus()));
        return null;
    }

    /**
     * The JVM's own threads that every Java thread waits for during a pause: the VM thread (it brings all threads to a
     * safepoint and runs the operation) and the GC workers (they do the stop-the-world work). A real-time watchdog
     * that waits at a safepoint runs only once these have finished, so on a CPU taken by other processes they decide
     * how late it is (seen: a TIMEOUT decided 100 ms after its watchdog was due, the first second after start).
     * Concurrent GC threads and the JIT compilers are left at normal priority: they do not hold a pause.
     */
    static boolean pauseThread(String comm) {
        return comm.equals("VM Thread") || comm.startsWith("GC Thread#");
    }

    /**
     * Puts the JVM's pause threads ({@link #pauseThread}) under SCHED_FIFO at the lowest real-time priority (1), below
     * the station's own real-time threads and above every normal one. Threads that appear later (GC workers are
     * started on demand) are found by calling this again; it is cheap (one look at /proc/self/task). Returns how many
     * threads run so now; 0 when real-time scheduling is off or refused.
     */
    public static int elevateJvmPauseThreads() {
        SchedulingConfig s = settings;
        if (!s.realtime() || NATIVE == null) {
            return 0;
        }
        int n = 0;
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        try (var dir = java.nio.file.Files.newDirectoryStream(tasks)) {
            for (java.nio.file.Path task : dir) {
                String comm;
                try {
                    comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
                } catch (java.io.IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (!pauseThread(comm)) {
                    continue;
                }
                int tid = Integer.parseInt(task.getFileName().toString());
                String why = NATIVE.setFifoOf(tid, 1);
                if (why != null) {
                    refuse(why);
                    threads.put("jvm pause threads", "normal priority: " + why);
                    return n;
                }
                n++;
            }
        } catch (java.io.IOException | RuntimeException e) {
            threads.put("jvm pause threads", "normal priority: " + e);
            return n;
        }
        threads.put("jvm pause threads", "SCHED_FIFO 1 (" + n + " threads: VM thread, GC workers)");
        return n;
    }

    private static void refuse(String why) {
        if (refusal == null) {
            refusal = why;
            log.atError().setMessage("REAL-TIME SCHEDULING NOT IN FORCE: under CPU contention a TIMEOUT may reach the PLC "
                    + "after its deadline. Grant CAP_SYS_NICE (the service unit does: AmbientCapabilities=CAP_SYS_NICE) or "
                    + "an RLIMIT_RTPRIO, or set scheduling.realtime: false to accept it").addKeyValue("reason", why).log();
        }
    }

    /** The policy of the calling thread as the kernel reports it: "SCHED_FIFO", "SCHED_OTHER"… or "unknown". */
    public static String currentPolicy() {
        return NATIVE == null ? "unknown" : NATIVE.policy();
    }

    public static Status status() {
        return new Status(settings.realtime(), Map.copyOf(threads), refusal);
    }

    /**
     * Platform daemon threads named {@code name-N} that ask for real-time scheduling before they run, with an
     * uncaught-exception handler that logs.
     */
    public static ThreadFactory threadFactory(String name) {
        return threadFactory(name, 0);
    }

    /**
     * As {@link #threadFactory(String)}, one priority level per {@code above} over the configured one. SCHED_FIFO
     * threads of equal priority do not preempt each other: a PLC sender working off a backlog of re-sends would keep
     * a deadline watchdog of the same priority waiting for a core, so the watchdog runs one level higher.
     */
    public static ThreadFactory threadFactory(String name, int above) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            String threadName = name + "-" + n.getAndIncrement();
            Thread t = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> {
                elevateCurrentThread(name, above);
                r.run();
            });
            t.setPriority(Thread.MAX_PRIORITY);
            t.setUncaughtExceptionHandler((th, e) -> log.atError().setMessage("thread died").addKeyValue("thread", threadName)
                    .setCause(e).log());
            return t;
        };
    }

    /** The libc calls, bound once; null where they cannot be found. */
    @SuppressWarnings("restricted") // native access is enabled for the station (--enable-native-access)
    private record Native(MethodHandle setScheduler, MethodHandle getScheduler, MethodHandle setAffinity, VarHandle errno) {
        static @Nullable Native load() {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Optional<MemorySegment> set = libc.find("sched_setscheduler");
                Optional<MemorySegment> get = libc.find("sched_getscheduler");
                Optional<MemorySegment> aff = libc.find("sched_setaffinity");
                if (set.isEmpty() || get.isEmpty() || aff.isEmpty()) {
                    return null;
                }
                Linker.Option errno = Linker.Option.captureCallState("errno");
                return new Native(
                        linker.downcallHandle(set.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), errno),
                        linker.downcallHandle(get.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
                        linker.downcallHandle(aff.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), errno),
                        Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno")));
            } catch (RuntimeException | LinkageError e) {
                return null; // not Linux, or native access not enabled
            }
        }

        @Nullable String setFifo(int priority) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
                MemorySegment param = arena.allocate(JAVA_INT);
                param.set(JAVA_INT, 0, priority);
                int rc = (int) setScheduler.invokeExact(state, 0, SCHED_FIFO | SCHED_RESET_ON_FORK, param);
                return rc == 0 ? null : "sched_setscheduler(SCHED_FIFO, " + priority + ") refused: " + errnoText(state);
            } catch (Throwable t) {
                return "sched_setscheduler failed: " + t;
            }
        }

        /** SCHED_FIFO for another thread of this process (its kernel thread id); its own children are normal. */
        @Nullable String setFifoOf(int tid, int priority) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
                MemorySegment param = arena.allocate(JAVA_INT);
                param.set(JAVA_INT, 0, priority);
                int rc = (int) setScheduler.invokeExact(state, tid, SCHED_FIFO | SCHED_RESET_ON_FORK, param);
                return rc == 0 ? null : "sched_setscheduler(thread " + tid + ", SCHED_FIFO, " + priority + ") refused: "
                        + errnoText(state);
            } catch (Throwable t) {
                return "sched_setscheduler failed: " + t;
            }
        }

        @Nullable String setAffinity(List<Integer> cpus) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
                MemorySegment mask = arena.allocate(CPU_SET_BYTES);
                for (int cpu : cpus) {
                    long word = cpu / 64;
                    mask.set(JAVA_LONG, word * 8, mask.get(JAVA_LONG, word * 8) | (1L << (cpu % 64)));
                }
                int rc = (int) setAffinity.invokeExact(state, 0, (long) CPU_SET_BYTES, mask);
                return rc == 0 ? null : "sched_setaffinity(" + cpus + ") refused: " + errnoText(state);
            } catch (Throwable t) {
                return "sched_setaffinity failed: " + t;
            }
        }

        String policy() {
            try {
                int p = (int) getScheduler.invokeExact(0) & ~SCHED_RESET_ON_FORK;
                return switch (p) {
                    case 0 -> "SCHED_OTHER";
                    case SCHED_FIFO -> "SCHED_FIFO";
                    case 2 -> "SCHED_RR";
                    case 3 -> "SCHED_BATCH";
                    case 5 -> "SCHED_IDLE";
                    default -> "policy " + p;
                };
            } catch (Throwable t) {
                return "unknown";
            }
        }

        private String errnoText(MemorySegment state) {
            int e = (int) errno.get(state, 0L);
            return switch (e) {
                case 1 -> "EPERM (no CAP_SYS_NICE and no RLIMIT_RTPRIO for this priority)";
                case 22 -> "EINVAL";
                case 3 -> "ESRCH";
                default -> "errno " + e;
            };
        }
    }
}
