/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linesight.station.testing.FuzzFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The results spool read back from any bytes, as a station finds it at start after a crash, a dying disk or a
 * careless hand, and drained the way the results writer drains it (each whole line read as a row with the writer's
 * JSON mapping; what is not a row, and what is not a whole line, quarantined; the position committed). The contract:
 *
 * <ul>
 *   <li>opening and draining never throw (an {@link IOException} is documented for a disk that refuses; none here)
 *       and never stall: each read moves on, and the spool is empty after a bounded number of reads;</li>
 *   <li>decoding a line as a row throws nothing but {@link IOException} or {@link RuntimeException}, the two the
 *       writer turns into a quarantine (an {@link Error} would kill the writer thread);</li>
 *   <li>a line handed out never holds a newline and a whole line is at most {@link Spool#MAX_LINE} bytes;</li>
 *   <li>once drained, nothing is counted as waiting, {@code station report}'s reading of the folder
 *       ({@link Spool#backlog}) counts no rows and exactly the quarantined lines, and a reopened spool has nothing
 *       left to read.</li>
 * </ul>
 *
 * <p>Input format (so that seeds can be written by hand): unless the input starts with {@code #}, its first line
 * (newline included) is the {@code position} file; the rest is split at form feeds into segments 1, 2, 3 ….
 *
 * <p>Seeds: {@code src/test/resources/io/linesight/station/store/SpoolFuzzTestInputs/spool/}; a finding lands
 * there too and is replayed by every build. How to fuzz: docs/RELIABILITY.md.
 */
class SpoolFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static {
        // every damaged input is logged as an error: at thousands of inputs a second the console would be the work
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Spool.class)).setLevel(Level.OFF);
    }

    private static final Path ROOT = FuzzFolder.create("linesight-spool-fuzz");

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    // no control characters in entries: Jazzer writes them unescaped into libFuzzer's line-based dictionary file
    @DictionaryEntries({"0000000000000000001 0000000000000000000 ", "{\"type\":\"verdict\",", "{\"type\":\"image\",",
        "\"seq\":", "\"line\":\"l1\",", "\"station\":\"s1\",", "\"partId\":\"P-1\",", "# offset ", "null", "[", "{"})
    @FuzzTest(maxDuration = "5m")
    void spool(byte[] input) throws IOException {
        Path dir = ROOT.resolve("spool");
        FuzzFolder.clear(ROOT);
        Files.createDirectories(dir);
        int at = 0;
        if (input.length > 0 && input[0] != '#') {
            int nl = indexOf(input, 0, (byte) '\n');
            at = nl < 0 ? input.length : nl + 1;
            Files.write(dir.resolve("position"), Arrays.copyOfRange(input, 0, at));
        } else if (input.length > 0) {
            at = 1;
        }
        for (int segment = 1; at <= input.length && segment < 10; segment++) {
            int ff = indexOf(input, at, (byte) '\f');
            int end = ff < 0 ? input.length : ff;
            Files.write(Spool.segment(dir, segment), Arrays.copyOfRange(input, at, end));
            at = end + 1;
        }

        long quarantined = 0;
        try (Spool spool = new Spool(dir, 1L << 30)) {
            int reads = 0;
            for (Spool.Batch batch = spool.read(256); !batch.isEmpty(); batch = spool.read(256)) {
                assertThat(++reads).as("the spool drains: every read moves on").isLessThanOrEqualTo(input.length + 2);
                for (Spool.Line line : batch.lines()) {
                    assertThat(indexOf(line.bytes(), 0, (byte) '\n')).as("no newline inside a line").isNegative();
                    if (line.whole()) {
                        assertThat(line.bytes().length).isLessThanOrEqualTo(Spool.MAX_LINE);
                        if (decodes(line.bytes())) {
                            continue;
                        }
                    }
                    spool.quarantine(line, line.whole() ? "not a result row" : "not a whole line");
                    quarantined++;
                }
                spool.commit(batch);
            }
            assertThat(spool.pendingLines()).as("nothing counted as waiting once drained").isZero();
            assertThat(spool.pendingBytes()).isZero();
        }
        SpoolBacklog backlog = Spool.backlog(dir);
        assertThat(backlog.rows()).as("station report: no rows waiting").isZero();
        assertThat(backlog.quarantined()).as("station report counts the quarantined lines").isEqualTo(quarantined);
        try (Spool again = new Spool(dir, 1L << 30)) {
            assertThat(again.read(256).isEmpty()).as("a reopened drained spool has nothing to read").isTrue();
        }
    }

    /** As the results writer reads a line: a row, or one of the two exceptions it quarantines for. */
    private static boolean decodes(byte[] line) {
        try {
            JSON.readValue(line, SpoolRecord.class);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int indexOf(byte[] b, int from, byte what) {
        for (int k = from; k < b.length; k++) {
            if (b[k] == what) {
                return k;
            }
        }
        return -1;
    }
}
