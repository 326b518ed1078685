/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linesight.station.testing.FuzzFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The verdict journal read back from any bytes, as a station finds its journal at start after a crash, a dying disk
 * or a careless hand. The contract:
 *
 * <ul>
 *   <li>{@link JournalReader#read} returns, never throws; what it returns is bounded by the input (the verdicts'
 *       bytes are at most the input's, every seq at most the highest seq), and the corrupt ranges lie in the input,
 *       in order, without overlap, each with a reason;</li>
 *   <li>{@link VerdictJournal#open} on a file of those bytes opens (an {@link IOException} is its only documented
 *       failure, for a file it cannot read or write: none here) and holds exactly the verdicts the reader found;
 *       bytes that did not check out are in its quarantine file, byte for byte, and nowhere else;</li>
 *   <li>the journal it rewrote opens again clean: the same verdicts, the same highest seq, nothing quarantined.</li>
 * </ul>
 *
 * <p>Seeds ({@link JournalSeeds} writes them): {@code src/test/resources/io/linesight/station/plc/
 * JournalFuzzTestInputs/journal/}; a finding lands there too and is replayed by every build. How to fuzz:
 * docs/RELIABILITY.md.
 */
class JournalFuzzTest {
    static {
        // every damaged input is logged as an error: at thousands of inputs a second the console would be the work
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(VerdictJournal.class)).setLevel(Level.OFF);
    }

    private static final Path DIR = FuzzFolder.create("linesight-journal-fuzz");

    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    // no control characters in entries: Jazzer writes them unescaped into libFuzzer's line-based dictionary file
    @DictionaryEntries({"LSJ2", "l1/s1/verdict", "{\"partId\":\"P-1\",\"verdict\":\"PASS\"}"})
    @FuzzTest(maxDuration = "5m")
    void journal(byte[] bytes) throws IOException {
        JournalReader.Result read = JournalReader.read(bytes);
        long held = read.verdicts().values().stream().mapToLong(v -> v.topic().length() + v.payload().length).sum();
        assertThat(held).as("verdicts are made of the input's bytes").isLessThanOrEqualTo(bytes.length);
        read.verdicts().forEach((seq, v) -> {
            assertThat(v.seq()).isEqualTo(seq).isLessThanOrEqualTo(read.lastSeq());
        });
        int end = 0;
        for (JournalReader.Range r : read.corrupt()) {
            assertThat(r.from()).as("ranges in order, within the input").isGreaterThanOrEqualTo(end);
            assertThat(r.to()).isGreaterThan(r.from()).isLessThanOrEqualTo(bytes.length);
            assertThat(r.reason()).isNotBlank().doesNotContain("\n");
            end = r.to();
        }

        Path file = DIR.resolve("verdicts.journal");
        FuzzFolder.clear(DIR);
        Files.write(file, bytes);
        List<String> expected = read.verdicts().values().stream().map(JournalFuzzTest::describe).toList();
        try (VerdictJournal j = VerdictJournal.open(file, 100_000, false)) {
            assertThat(j.unacked().stream().map(JournalFuzzTest::describe).toList())
                    .as("the journal holds what the reader found").isEqualTo(expected);
            assertThat(j.lastSeq()).isEqualTo(read.lastSeq());
            if (read.corrupt().isEmpty()) {
                assertThat(j.quarantine()).as("nothing quarantined from a clean journal").isNull();
            } else {
                VerdictJournal.Quarantine q = j.quarantine();
                assertThat(q).as("what did not check out is quarantined").isNotNull();
                ByteArrayOutputStream corrupt = new ByteArrayOutputStream();
                read.corrupt().forEach(r -> corrupt.write(bytes, r.from(), r.to() - r.from()));
                assertThat(q.bytes()).isEqualTo(corrupt.size());
                assertThat(Files.readAllBytes(q.file())).as("quarantined byte for byte").isEqualTo(corrupt.toByteArray());
                assertThat(q.reason()).isNotBlank().doesNotContain("\n");
            }
        }
        try (VerdictJournal again = VerdictJournal.open(file, 100_000, false)) {
            assertThat(again.unacked().stream().map(JournalFuzzTest::describe).toList())
                    .as("the rewritten journal reads back the same").isEqualTo(expected);
            assertThat(again.lastSeq()).isEqualTo(read.lastSeq());
            assertThat(again.quarantine()).as("the rewritten journal is clean").isNull();
        }
    }

    private static String describe(JournalReader.Verdict v) {
        return v.seq() + " " + v.topic() + " " + Arrays.toString(v.payload());
    }

    private static String describe(VerdictJournal.Entry e) {
        return e.seq() + " " + e.topic() + " " + Arrays.toString(e.payload());
    }
}
