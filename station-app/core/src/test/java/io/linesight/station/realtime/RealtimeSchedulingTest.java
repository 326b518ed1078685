/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.SchedulingConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SCHED_FIFO through the FFM API, asked for by the thread itself. Where the process may (root or CAP_SYS_NICE, as in
 * CI and under the shipped service unit) the kernel must report the policy; where it may not, the status must say
 * why and the thread must still run.
 */
class RealtimeSchedulingTest {

    @AfterEach
    void off() {
        RealtimeScheduling.configure(new SchedulingConfig(false, 10, List.of(), 25));
    }

    static String policyOfAThreadFrom(String name) throws InterruptedException {
        AtomicReference<String> policy = new AtomicReference<>();
        Thread t = RealtimeScheduling.threadFactory(name).newThread(() -> policy.set(RealtimeScheduling.currentPolicy()));
        t.start();
        t.join(5000);
        return policy.get();
    }

    @Test
    void threadsOfTheFactory_runUnderSchedFifo_orTheStatusSaysWhyNot() throws Exception {
        RealtimeScheduling.configure(new SchedulingConfig(true, 5, List.of(), 25));
        String policy = policyOfAThreadFrom("rt-test");
        RealtimeScheduling.Status status = RealtimeScheduling.status();

        assertThat(status.threads()).containsKey("rt-test");
        if (status.refusal() == null) {
            assertThat(policy).isEqualTo("SCHED_FIFO");
            assertThat(status.inForce()).isTrue();
            assertThat(status.threads().get("rt-test")).isEqualTo("SCHED_FIFO 5");
        } else {
            assertThat(policy).as("the thread still ran, at normal priority").isEqualTo("SCHED_OTHER");
            assertThat(status.inForce()).isFalse();
            assertThat(status.refusal()).contains("sched_setscheduler");
        }
    }

    /** The deadline watchdog runs one level over the other real-time threads, which would otherwise keep it waiting. */
    @Test
    void aFactoryAskedForOneLevelMore_getsIt() throws Exception {
        RealtimeScheduling.configure(new SchedulingConfig(true, 5, List.of(), 25));
        Thread t = RealtimeScheduling.threadFactory("watchdog-test", 1).newThread(() -> { });
        t.start();
        t.join(5000);
        if (RealtimeScheduling.status().refusal() == null) {
            assertThat(RealtimeScheduling.status().threads().get("watchdog-test")).isEqualTo("SCHED_FIFO 6");
        } else {
            assertThat(RealtimeScheduling.status().threads().get("watchdog-test")).startsWith("normal priority");
        }
    }

    @Test
    void threadsCreatedByARealtimeThread_runAtNormalPriority() throws Exception {
        RealtimeScheduling.configure(new SchedulingConfig(true, 5, List.of(), 25));
        AtomicReference<String> child = new AtomicReference<>();
        Thread t = RealtimeScheduling.threadFactory("parent").newThread(() -> {
            Thread c = new Thread(() -> child.set(RealtimeScheduling.currentPolicy()));
            c.start();
            try {
                c.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join(5000);
        assertThat(child.get()).as("a real-time thread must not hand its policy on").isEqualTo("SCHED_OTHER");
    }

    /**
     * The VM thread and the GC workers hold every Java thread during a pause: under real-time scheduling they run
     * SCHED_FIFO too (read back from the kernel: field 41 of /proc/self/task/TID/stat), and nothing else of the JVM.
     */
    @Test
    void jvmPauseThreads_runUnderSchedFifo_theJitAndConcurrentGcDoNot() throws Exception {
        RealtimeScheduling.configure(new SchedulingConfig(true, 5, List.of(), 25));
        System.gc(); // the GC workers exist
        int n = RealtimeScheduling.elevateJvmPauseThreads();
        if (RealtimeScheduling.status().refusal() != null) {
            assertThat(n).isZero();
            assertThat(RealtimeScheduling.status().threads().get("jvm pause threads")).startsWith("normal priority");
            return;
        }
        java.util.Map<String, Integer> policies = new java.util.HashMap<>();
        try (var tasks = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            for (var task : tasks) {
                String comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
                String stat = java.nio.file.Files.readString(task.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                policies.put(comm + "/" + task.getFileName(), Integer.parseInt(f[41 - 3])); // fields from 3 on
            }
        }
        assertThat(n).isPositive();
        assertThat(policies).as("the VM thread").anySatisfy((k, p) -> {
            assertThat(k).startsWith("VM Thread/");
            assertThat(p).isEqualTo(1);
        });
        policies.forEach((k, p) -> {
            if (k.startsWith("C2 CompilerThre") || k.startsWith("C1 CompilerThre") || k.startsWith("G1 Conc")) {
                assertThat(p).as(k).isZero();
            }
        });
    }

    @Test
    void switchedOff_threadsStayAtNormalPriority() throws Exception {
        RealtimeScheduling.configure(new SchedulingConfig(false, 5, List.of(), 25));
        assertThat(policyOfAThreadFrom("normal")).isEqualTo("SCHED_OTHER");
        assertThat(RealtimeScheduling.status().inForce()).isFalse();
    }

    @Test
    void pinnedToACpu_theThreadRunsThere() throws Exception {
        RealtimeScheduling.configure(new SchedulingConfig(true, 5, List.of(0), 25));
        AtomicReference<String> where = new AtomicReference<>();
        Thread t = RealtimeScheduling.threadFactory("pinned").newThread(() -> {
            try {
                // field 39 of /proc/thread-self/stat: the CPU the thread last ran on
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
                where.set(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[36]);
            } catch (java.io.IOException e) {
                where.set("unknown");
            }
        });
        t.start();
        t.join(5000);
        if (RealtimeScheduling.status().refusal() == null) {
            assertThat(where.get()).isEqualTo("0");
        } else {
            assertThat(RealtimeScheduling.status().inForce()).isFalse();
        }
    }
}
