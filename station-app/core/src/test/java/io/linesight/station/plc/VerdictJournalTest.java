/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.station.testing.SmallFilesystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.stream.Stream;
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
            assertThat(j.quarantine()).isNull();
        }
    }

    /**
     * A compaction whose fsync waits on a slow device (here: held until the test lets it go) must not hold up a
     * thread that decides: the append of a new verdict returns while the compaction waits, and nothing is lost by it.
     */
    @Test
    void aCompactionWaitingForTheDisk_neverHoldsUpAnAppend_andLosesNothing() throws Exception {
        Path f = dir.resolve("j");
        java.util.concurrent.CountDownLatch forcing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        long acked = 20_000; // enough acknowledgements for a compaction
        try (VerdictJournal j = VerdictJournal.open(f, 100_000, true)) {
            for (long s = 1; s <= acked + 3; s++) {
                j.append(entry(s));
            }
            for (long s = 1; s <= acked; s++) {
                j.ack(s);
            }
            Thread maintainer = Thread.ofPlatform().unstarted(j::maintain);
            j.forcer((c, metadata) -> {
                if (Thread.currentThread() == maintainer) {
                    forcing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                c.force(metadata);
            });
            maintainer.start();
            assertThat(forcing.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the compaction reached its fsync")
                    .isTrue();

            java.util.concurrent.CompletableFuture<Void> append = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    j.append(entry(acked + 4));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // with the fsync under the journal's lock this would wait for the release, i.e. forever
            append.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(maintainer.isAlive()).as("the compaction is still waiting for the disk").isTrue();

            release.countDown();
            maintainer.join(30_000);
            assertThat(j.failure()).isNull();
            j.sync();
        }
        try (VerdictJournal j = VerdictJournal.open(f, 100_000, true)) {
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq)
                    .containsExactly(acked + 1, acked + 2, acked + 3, acked + 4);
            assertThat(j.lastSeq()).isEqualTo(acked + 4);
        }
        assertThat(Files.size(f)).as("compacted: the acknowledged verdicts are gone from the file").isLessThan(4096);
    }

    /**
     * The sender forces the old file while a compaction copies a verdict appended during it into the new file: once
     * the file is swapped, that verdict counts as durable only after the new file was forced too (a power cut before
     * would lose it from the journal, with nothing left to resend it).
     */
    @Test
    void aVerdictCopiedIntoACompactedFile_isDurableOnlyOnceThatFileIsForced() throws Exception {
        Path f = dir.resolve("j");
        java.util.concurrent.CountDownLatch compactionForcing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseCompaction = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch senderForcedOld = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.nio.channels.FileChannel> forcedBySender = new java.util.concurrent.CopyOnWriteArrayList<>();
        long acked = 20_000; // enough acknowledgements for a compaction
        try (VerdictJournal j = VerdictJournal.open(f, 100_000, true)) {
            for (long s = 1; s <= acked + 3; s++) {
                j.append(entry(s));
            }
            j.sync();
            for (long s = 1; s <= acked; s++) {
                j.ack(s);
            }
            Thread maintainer = Thread.ofPlatform().unstarted(j::maintain);
            Thread sender = Thread.ofPlatform().unstarted(j::sync);
            j.forcer((c, metadata) -> {
                try {
                    if (Thread.currentThread() == maintainer) {
                        compactionForcing.countDown();
                        releaseCompaction.await();
                        c.force(metadata);
                    } else if (Thread.currentThread() == sender) {
                        c.force(metadata);
                        forcedBySender.add(c);
                        if (forcedBySender.size() == 1) {
                            senderForcedOld.countDown();
                            maintainer.join(30_000); // the swap happens right after this force
                        }
                    } else {
                        c.force(metadata);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            maintainer.start();
            assertThat(compactionForcing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            j.append(entry(acked + 4)); // after the compaction's snapshot: copied into the new file, unforced
            sender.start();
            assertThat(senderForcedOld.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            releaseCompaction.countDown();
            sender.join(30_000);
            assertThat(j.durableSeq()).isEqualTo(acked + 4);
            assertThat(forcedBySender).as("files the sender forced before it called them durable")
                    .anySatisfy(c -> assertThat(c.isOpen()).as("the journal's current file").isTrue());
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
            assertThat(j.quarantine()).as("a torn tail is normal after a power loss").isNull();
        }
    }

    @Test
    void aCorruptRecord_isQuarantinedAndReported_andTheVerdictsAfterItAreKept() throws Exception {
        Path f = dir.resolve("j");
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            for (long s = 1; s <= 3; s++) {
                j.append(entry(s));
            }
        }
        byte[] bytes = Files.readAllBytes(f);
        int second = indexOf(bytes, "{\"seq\":2".getBytes(StandardCharsets.UTF_8));
        bytes[second + 3] ^= 0x40; // a flipped bit in the payload of seq 2
        Files.write(f, bytes);

        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).containsExactly(1L, 3L);
            VerdictJournal.Quarantine q = j.quarantine();
            assertThat(q).isNotNull();
            assertThat(q.reason()).contains("checksum mismatch");
            assertThat(Files.readAllBytes(q.file())).hasSize((int) q.bytes());
            assertThat(q.file().getFileName().toString()).startsWith("j.corrupt-");
        }
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            assertThat(j.quarantine()).as("the rewritten journal is clean").isNull();
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).containsExactly(1L, 3L);
        }
    }

    @Test
    void aLengthOutOfBounds_doesNotCrashTheStart() throws Exception {
        Path f = dir.resolve("j");
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            j.append(entry(1));
        }
        ByteBuffer huge = ByteBuffer.allocate(9).put((byte) 'V').putInt(Integer.MAX_VALUE).putInt(7);
        Files.write(f, huge.array(), StandardOpenOption.APPEND);
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            j.append(entry(2));
        }
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).containsExactly(1L, 2L);
        }
    }

    @Test
    void randomGarbage_neverThrows_andEveryRecoveredVerdictIsOneThatWasWritten() throws Exception {
        Random rnd = new Random(11);
        Path f = dir.resolve("j");
        for (int round = 0; round < 200; round++) {
            Files.deleteIfExists(f);
            try (VerdictJournal j = VerdictJournal.open(f, 1000, false)) {
                for (long s = 1; s <= 20; s++) {
                    j.append(entry(s));
                }
            }
            byte[] bytes = Files.readAllBytes(f);
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
            }
            byte[] cut = java.util.Arrays.copyOf(bytes, rnd.nextInt(bytes.length + 1));
            Files.write(f, cut);
            try (Stream<Path> old = Files.list(dir)) {
                old.filter(p -> p.getFileName().toString().contains("corrupt")).forEach(p -> p.toFile().delete());
            }
            try (VerdictJournal j = VerdictJournal.open(f, 1000, false)) {
                for (VerdictJournal.Entry e : j.unacked()) {
                    assertThat(e.payload()).isEqualTo(entry(e.seq()).payload());
                }
            }
        }
    }

    @Test
    void aJournalOfTheFirstFormat_isReadAndRewritten() throws Exception {
        Path f = dir.resolve("j");
        byte[] topic = "t/verdict".getBytes(StandardCharsets.UTF_8);
        byte[] payload = "{\"seq\":7}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put((byte) 'S').putLong(5);
        b.put((byte) 'V').putLong(7).putShort((short) topic.length).put(topic).putInt(payload.length).put(payload);
        b.put((byte) 'V').putLong(8).putShort((short) topic.length).put(topic).putInt(payload.length).put(payload);
        b.put((byte) 'A').putLong(8);
        Files.write(f, java.util.Arrays.copyOf(b.array(), b.position()));
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).containsExactly(7L);
            assertThat(j.lastSeq()).isEqualTo(8);
        }
        assertThat(new String(Files.readAllBytes(f), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("LSJ2");
    }

    @Test
    void anAck_touchesNoDisk_untilTheJournalThreadWritesIt() throws Exception {
        Path f = dir.resolve("j");
        try (VerdictJournal j = VerdictJournal.open(f, 100, true)) {
            j.append(entry(1));
            long size = Files.size(f);
            j.ack(1);
            assertThat(Files.size(f)).isEqualTo(size);
            assertThat(j.size()).isZero();
            j.maintain();
            assertThat(Files.size(f)).isGreaterThan(size);
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
    void overTheByteBound_saysSo_butKeepsEverything() throws Exception {
        try (VerdictJournal j = VerdictJournal.open(dir.resolve("j"), 1000, 400, false)) {
            for (long s = 1; s <= 4; s++) {
                j.append(entry(s));
            }
            assertThat(j.overLimit()).isTrue();
            assertThat(j.size()).isEqualTo(4);
            j.ack(1);
            j.ack(2);
            j.ack(3);
            assertThat(j.overLimit()).isFalse();
        }
    }

    @Test
    void onAFullDisk_verdictsAreKeptInMemory_theFailureIsReported_andTheFileHealsWhenSpaceIsBack() throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(dir.resolve("small"), 64 * 1024)) {
            Path f = fs.dir().resolve("verdicts.journal");
            try (VerdictJournal j = VerdictJournal.open(f, 1000, true)) {
                j.append(entry(1));
                Path ballast = fs.fill();
                long s = 2;
                IOException failed = null;
                for (; s < 2000 && failed == null; s++) {
                    try {
                        j.append(entry(s));
                    } catch (IOException e) {
                        failed = e;
                    }
                }
                long last = s - 1;
                assertThat(failed).as("the disk filled up").isNotNull();
                assertThat(j.failure()).contains("No space left");
                assertThat(j.get(last)).as("the verdict that did not fit is still kept").isNotNull();
                assertThat(j.size()).isEqualTo((int) last);

                j.maintain();
                assertThat(j.failure()).as("still full").isNotNull();
                Files.delete(ballast);
                j.maintain();
                assertThat(j.failure()).as("healed from memory").isNull();
                j.ack(1);
                j.maintain();
            }
            try (VerdictJournal j = VerdictJournal.open(f, 1000, true)) {
                assertThat(j.unacked()).extracting(VerdictJournal.Entry::seq).doesNotContain(1L).contains(2L);
                assertThat(j.size()).isGreaterThan(1);
                assertThat(j.quarantine()).isNull();
            }
        }
    }

    @Test
    void resentVerdict_isFlaggedInItsJson_whateverItsFieldOrder() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        byte[] again = VerdictPayload.asResent("{\"partId\":\"P1\",\"resent\":false}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.readTree(again).path("resent").asBoolean()).isTrue();
        assertThat(json.readTree(again).path("partId").asText()).isEqualTo("P1");
        // a payload whose flag is not the last field (or that has none yet) is flagged all the same
        byte[] reordered = VerdictPayload.asResent("{\"resent\":false,\"partId\":\"P2\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.readTree(reordered).path("resent").asBoolean()).isTrue();
        byte[] compact = "P1;7;0;0".getBytes(StandardCharsets.US_ASCII);
        assertThat(VerdictPayload.asResent(compact)).isSameAs(compact);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
