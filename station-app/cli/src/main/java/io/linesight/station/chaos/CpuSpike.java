/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.chaos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Competing processes that take every core for a while, at normal priority: what a backup job, an antivirus scan
 * or a second application on the industrial PC does to the station.
 */
final class CpuSpike {
    private CpuSpike() {
    }

    /** Runs {@code processes} busy loops for {@code millis}, then kills them. */
    static void run(int processes, long millis) throws IOException, InterruptedException {
        List<Process> busy = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                // chrt -o 0: normal scheduling, whatever the thread that starts it runs at
                busy.add(new ProcessBuilder("chrt", "-o", "0", "sh", "-c", "while :; do :; done").start());
            }
            Thread.sleep(millis);
        } finally {
            busy.forEach(Process::destroyForcibly);
            for (Process p : busy) {
                p.waitFor();
            }
        }
    }
}
