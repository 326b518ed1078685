/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictJournalTest {
    @TempDir
    Path dir;

    static VerdictJournal.Entry entry(long seq) {
        return new VerdictJournal.Entry(seq, "linesight/l/s/verdict", ("{\"seq\":" + seq + ",\"resent\":false}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unacknowledgedVerdicts_surviveReopen_inSeqOrder() throws Exception {
        Path f = dir.resolve("j");
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            for (long s = 1; s <= 5; s++) {
                j.append(entry(s));
            }
            j.ack(2);
            j.ack(4);
        }
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).containsExactly(1L, 3L, 5L);
            assertThat(new String(j.unacked().get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":3,\"resent\":false}");
            assertThat(j.lastSeq()).isEqualTo(5);
        }
    }

    @Test
    void lastSeq_survivesWhenEverythingWasAcknowledged() throws Exception {
        Path f = dir.resolve("j");
        try (VerdictJournal j = VerdictJournal.open(f, 100, false)) {
            j.append(entry(41));
            j.append(entry(42));
            j.ack(41);
            j.ack(42);
        }
        try (VerdictJournal j = VerdictJournal.open(f, 100, false)) {
            assertThat(j.unacked()).isEmpty();
            assertThat(j.lastSeq()).isEqualTo(42);
        }
        try (VerdictJournal j = VerdictJournal.open(f, 100, false)) {
            assertThat(j.lastSeq()).as("compacted file keeps the seq marker").isEqualTo(42);
        }
    }

    @Test
    void tornLastRecord_isIgnored_andEverythingBeforeItKept() throws Exception {
        Path f = dir.resolve("j");
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            j.append(entry(1));
            j.append(entry(2));
        }
        Files.write(f, new byte[] {'V', 0, 0, 0}, StandardOpenOption.APPEND); // power lost mid-record
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).containsExactly(1L, 2L);
        }
    }

    @Test
    void full_atCapacity_butNothingIsDropped() throws Exception {
        try (VerdictJournal j = VerdictJournal.open(dir.resolve("j"), 3, false)) {
            for (long s = 1; s <= 4; s++) {
                j.append(entry(s));
            }
            assertThat(j.full()).isTrue();
            assertThat(j.size()).isEqualTo(4);
            j.ack(1);
            j.ack(2);
            assertThat(j.full()).isFalse();
        }
    }

    @Test
    void resentVerdict_isFlaggedInItsJson() {
        byte[] again = MqttPlcLink.markResent("{\"partId\":\"P1\",\"resent\":false}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(again, StandardCharsets.UTF_8)).isEqualTo("{\"partId\":\"P1\",\"resent\":true}");
        byte[] compact = "P1;7;0;0".getBytes(StandardCharsets.US_ASCII);
        assertThat(MqttPlcLink.markResent(compact)).isSameAs(compact);
    }
}
