/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verdicts the broker has not acknowledged, on disk (invariant 2). A verdict is kept in memory and appended (and,
 * with {@code sync}, forced to the device) before it is published; its PUBACK removes it. At open the file is read
 * back: what was never acknowledged is returned in seq order for re-sending, and the highest seq ever written is
 * known, so seq continues across restarts.
 *
 * <p><b>Format</b> (big-endian): the magic {@code LSJ2}, then records {@code type:byte length:int body crc32c:int},
 * the CRC over type, length and body. Bodies: {@code 'V' seq:long topicLength:short topic payload},
 * {@code 'A' seq:long…} (a batch of acks), {@code 'S' lastSeq:long}. Lengths are bounded. Reading back, a record cut
 * short at the end of the file (power lost mid-write) is dropped silently; anything else that does not check out is
 * copied to a {@code .corrupt-<time>} file beside the journal, reported by {@link #quarantine()}, and skipped up to
 * the next record that does: the station starts, and what was lost is said. Files of the first format (no magic) are
 * read and rewritten.
 *
 * <p><b>Failures never drop a verdict.</b> An entry is in memory before it is written; when the write fails the
 * entry stays unacknowledged (it is sent and re-sent from memory), {@link #failure()} says why, and {@link #maintain}
 * rewrites the whole file from memory once the disk takes it again.
 *
 * <p><b>Threads.</b> {@link #append} is called by the deciding threads (serialised by the link) and only writes;
 * {@link #sync} forces the device, on the sender's thread, for every verdict appended so far at once. {@link #ack} only updates memory (it runs on the MQTT client's callback thread, which
 * also delivers triggers: it must not wait for a disk). {@link #maintain} runs on the link's journal thread: it writes
 * the acks in batches without forcing them (a lost ack only means a re-send, which the PLC de-duplicates) and
 * compacts the file when it has mostly acknowledged records.
 */
public final class VerdictJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VerdictJournal.class);
    static final byte[] MAGIC = {'L', 'S', 'J', '2'};
    static final byte VERDICT = 'V';
    static final byte ACK = 'A';
    static final byte SEQ = 'S';
    /** Largest record body read back: a verdict payload is a few hundred bytes; anything near this is corruption. */
    static final int MAX_BODY = 1 << 20;
    private static final int MAX_ACKS_PER_RECORD = 4096;
    private static final int COMPACT_AFTER_ACKS = 20_000;
    private static final long COMPACT_GARBAGE_BYTES = 8L << 20;

    /**
     * One journaled verdict.
     *
     * @param journaledNanos when it entered the journal ({@code System.nanoTime()}; at open for entries read back)
     */
    public record Entry(long seq, String topic, byte[] payload, long journaledNanos) {
        public Entry(long seq, String topic, byte[] payload) {
            this(seq, topic, payload, System.nanoTime());
        }

        /** Bytes it holds in memory and on disk, roughly. */
        long bytes() {
            return 64L + topic.length() + payload.length;
        }
    }

    /** Bytes of the journal that did not check out at open, and where they were put. */
    public record Quarantine(long bytes, Path file, String reason) {
    }

    private final Path file;
    private final int capacity;
    private final long maxBytes;
    private final boolean sync;
    private final ConcurrentSkipListMap<Long, Entry> unacked = new ConcurrentSkipListMap<>();
    private final AtomicLong unackedBytes = new AtomicLong();
    private final Queue<Long> acksToWrite = new ConcurrentLinkedQueue<>();
    private @Nullable FileChannel channel;
    private long fileBytes;
    private long lastSeq;
    /** Highest seq appended to the file (written, perhaps not yet forced). */
    private volatile long writtenSeq;
    /** Highest seq known to be on the device. */
    private volatile long durableSeq;
    private int acksSinceCompaction;
    private boolean needsRewrite;
    /** Set while a compaction writes its fresh file outside the lock: appends made meanwhile are copied into it. */
    private @Nullable List<Entry> appendedDuringRewrite;
    /** A compaction renamed its file into place and the directory is not forced yet; {@link #sync()} forces it. */
    private volatile boolean directoryUnforced;
    /** How the journal forces a file or a directory to the device; a test may slow it down. */
    private Forcer forcer = FileChannel::force;

    /** Forces a channel to the device; {@code metadata} as in {@link FileChannel#force}. */
    @FunctionalInterface
    interface Forcer {
        void force(FileChannel c, boolean metadata) throws IOException;
    }
    private volatile @Nullable String failure;
    private volatile @Nullable Quarantine quarantine;

    private VerdictJournal(Path file, int capacity, long maxBytes, boolean sync) {
        this.file = file;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.sync = sync;
    }

    /** Opens a journal with no byte bound beyond memory (tests and tools). */
    public static VerdictJournal open(Path file, int capacity, boolean sync) throws IOException {
        return open(file, capacity, Long.MAX_VALUE, sync);
    }

    /**
     * Opens (creating) the journal and reads back what it holds.
     *
     * @param capacity verdicts after which {@link #full()} says so (an alarm; nothing is dropped)
     * @param maxBytes bytes of unacknowledged verdicts after which {@link #overLimit()} says so: the station stops
     *                 taking parts rather than grow without bound
     * @throws IOException when the file cannot be read or the fresh copy cannot be written
     */
    public static VerdictJournal open(Path file, int capacity, long maxBytes, boolean sync) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        VerdictJournal j = new VerdictJournal(file, capacity, maxBytes, sync);
        if (Files.exists(file)) {
            j.readBack();
        }
        j.rewrite();
        return j;
    }

    private void readBack() throws IOException {
        byte[] all = Files.readAllBytes(file);
        JournalReader.Result r = JournalReader.read(all);
        long now = System.nanoTime();
        for (JournalReader.Verdict v : r.verdicts().values()) {
            Entry e = new Entry(v.seq(), v.topic(), v.payload(), now);
            unacked.put(e.seq(), e);
            unackedBytes.addAndGet(e.bytes());
        }
        lastSeq = r.lastSeq();
        if (!r.corrupt().isEmpty()) {
            Path q = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
            try (FileChannel out = FileChannel.open(q, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (JournalReader.Range range : r.corrupt()) {
                    out.write(ByteBuffer.wrap(all, range.from(), range.to() - range.from()));
                }
                out.force(true);
            }
            long bytes = r.corrupt().stream().mapToLong(x -> x.to() - x.from()).sum();
            quarantine = new Quarantine(bytes, q, r.corrupt().getFirst().reason());
            log.atError().setMessage("verdict journal: bytes that did not check out were quarantined; verdicts in them "
                    + "cannot be re-sent").addKeyValue("bytes", bytes).addKeyValue("file", q)
                    .addKeyValue("reason", r.corrupt().getFirst().reason()).log();
        }
    }

    /**
     * Keeps a verdict until it is acknowledged and writes it to the file, without waiting for the device: the
     * deciding thread (a watchdog's TIMEOUT among them) must not wait for an fsync. {@link #sync()} makes it durable;
     * the sender publishes only what is durable ({@link #durableSeq()}). The entry is kept in memory even when the
     * write fails: the caller still sends it.
     *
     * @throws IOException when the disk did not take it (the journal is then in {@link #failure()})
     */
    public synchronized void append(Entry e) throws IOException {
        if (unacked.putIfAbsent(e.seq(), e) == null) {
            unackedBytes.addAndGet(e.bytes());
        }
        lastSeq = Math.max(lastSeq, e.seq());
        if (appendedDuringRewrite != null) {
            appendedDuringRewrite.add(e);
        }
        try {
            write(verdictRecord(e), false);
            writtenSeq = Math.max(writtenSeq, e.seq());
            if (!sync) {
                durableSeq = writtenSeq;
            }
        } catch (IOException ex) {
            fail("append", ex);
            throw ex;
        }
    }

    /**
     * Forces everything appended so far to the device (one fsync for however many verdicts: a group commit). Called
     * by the sender before it publishes a verdict that is not yet durable; appends go on meanwhile.
     */
    public void sync() {
        while (true) {
            FileChannel c;
            long upTo;
            synchronized (this) {
                c = channel;
                upTo = writtenSeq;
            }
            if (upTo <= durableSeq || c == null) {
                return;
            }
            try {
                forcer.force(c, false);
                if (directoryUnforced) {
                    forceDirectory();
                }
                synchronized (this) {
                    if (channel == c) {
                        durableSeq = Math.max(durableSeq, upTo);
                        return;
                    }
                }
                // a compaction replaced the file while this forced the old one: what it copied into the new file
                // after its snapshot is not on the device yet, so force the new file before calling anything durable
            } catch (java.nio.channels.ClosedChannelException swapped) {
                // the same, found by the force itself: go round for the new file
            } catch (IOException ex) {
                synchronized (this) {
                    fail("sync", ex);
                }
                return;
            }
        }
    }

    /** The highest seq that is on the device (or everything appended, without {@code sync}). */
    public long durableSeq() {
        return durableSeq;
    }

    /** The broker acknowledged {@code seq}. Memory only: never waits for the disk. */
    public void ack(long seq) {
        Entry e = unacked.remove(seq);
        if (e != null) {
            unackedBytes.addAndGet(-e.bytes());
            acksToWrite.add(seq);
        }
    }

    /**
     * Writes pending acks (not forced), heals the file after a failure and compacts it when it is mostly garbage.
     * Called periodically by the link's journal thread; never by a thread that decides or delivers.
     */
    public void maintain() {
        List<Entry> snapshot;
        long seqMark;
        synchronized (this) {
            try {
                flushAcks();
            } catch (IOException ex) {
                fail("maintain", ex);
            }
            boolean garbage = fileBytes > 4 * unackedBytes.get() + COMPACT_GARBAGE_BYTES;
            boolean manyAcks = acksSinceCompaction >= COMPACT_AFTER_ACKS && unackedBytes.get() < (1L << 20);
            if (!(needsRewrite || garbage || manyAcks)) {
                return;
            }
            snapshot = List.copyOf(unacked.values());
            seqMark = lastSeq;
            appendedDuringRewrite = new ArrayList<>();
        }
        boolean healed = failure != null;
        try {
            compact(snapshot, seqMark);
            if (healed) {
                log.atInfo().setMessage("verdict journal writes again; file rewritten from memory")
                        .addKeyValue("unacked", unacked.size()).log();
            }
        } catch (IOException ex) {
            synchronized (this) {
                fail("maintain", ex);
            }
        } finally {
            synchronized (this) {
                appendedDuringRewrite = null;
            }
        }
    }

    /**
     * A compaction that never holds the lock while it waits for the device: the fresh file is written and forced
     * outside it (appends go on into the old file and are noted), then, under the lock, what was appended meanwhile
     * is copied in and the file renamed into place (no fsync under the lock: a deciding thread, the watchdog's TIMEOUT
     * among them, must never wait for a disk). The directory is forced right after, and by {@link #sync()} before
     * anything copied in is published.
     */
    private void compact(List<Entry> snapshot, long seqMark) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        long bytes = 0;
        try {
            bytes += writeFully(out, ByteBuffer.wrap(MAGIC));
            bytes += writeFully(out, record(SEQ, ByteBuffer.allocate(8).putLong(seqMark).array()));
            for (Entry e : snapshot) {
                bytes += writeFully(out, verdictRecord(e));
            }
            forcer.force(out, true);
        } catch (IOException e) {
            out.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        synchronized (this) {
            boolean copied = false;
            try {
                for (Entry e : appendedDuringRewrite == null ? List.<Entry>of() : appendedDuringRewrite) {
                    if (unacked.containsKey(e.seq())) {
                        bytes += writeFully(out, verdictRecord(e));
                        copied = true;
                    }
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                out.close();
                Files.deleteIfExists(tmp);
                throw e;
            }
            directoryUnforced = true;
            FileChannel old = channel;
            channel = out;
            if (old != null) {
                old.close();
            }
            fileBytes = bytes;
            // forced: the snapshot; copied in after it: written, to be forced by the sender's next sync
            durableSeq = copied ? seqMark : Math.max(durableSeq, seqMark);
            writtenSeq = Math.max(writtenSeq, lastSeq);
            acksSinceCompaction = 0; // acks still queued name seqs the new file lacks: harmless when read back
            needsRewrite = false;
            failure = null;
        }
        forceDirectory();
    }

    private void forceDirectory() {
        directoryUnforced = false;
        try (FileChannel d = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            forcer.force(d, true);
        } catch (IOException e) {
            // some filesystems cannot open a directory for sync; the rename itself is atomic
        }
    }

    private void flushAcks() throws IOException {
        while (!acksToWrite.isEmpty()) {
            List<Long> batch = new ArrayList<>();
            Long s;
            while (batch.size() < MAX_ACKS_PER_RECORD && (s = acksToWrite.poll()) != null) {
                batch.add(s);
            }
            ByteBuffer body = ByteBuffer.allocate(8 * batch.size());
            batch.forEach(body::putLong);
            write(record(ACK, body.array()), false);
            acksSinceCompaction += batch.size();
        }
    }

    private void fail(String what, IOException ex) {
        needsRewrite = true;
        String why = what + ": " + ex.getMessage();
        if (!why.equals(failure)) {
            log.atError().setMessage("verdict journal cannot write; verdicts are kept in memory and still sent")
                    .addKeyValue("file", file).addKeyValue("error", why).log();
        }
        failure = why;
    }

    private void write(ByteBuffer b, boolean force) throws IOException {
        FileChannel c = channel;
        if (c == null || !c.isOpen()) {
            c = channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        int n = b.remaining();
        while (b.hasRemaining()) {
            c.write(b);
        }
        fileBytes += n;
        if (force) {
            c.force(false);
        }
    }

    /**
     * Writes a fresh file with the seq marker and the unacknowledged entries only, then renames it over the journal.
     * The old file stays open for appends until the new one is in place, so a failure at any step leaves a
     * journal that can be written to.
     */
    private void rewrite() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long bytes = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            bytes += writeFully(out, ByteBuffer.wrap(MAGIC));
            bytes += writeFully(out, record(SEQ, ByteBuffer.allocate(8).putLong(lastSeq).array()));
            for (Entry e : unacked.values()) {
                bytes += writeFully(out, verdictRecord(e));
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(), "journal folder"));
        FileChannel fresh = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileChannel old = channel;
        channel = fresh;
        if (old != null) {
            old.close();
        }
        fileBytes = bytes;
        durableSeq = Math.max(durableSeq, lastSeq); // the fresh file holds every unacknowledged verdict, forced
        writtenSeq = Math.max(writtenSeq, lastSeq);
        acksSinceCompaction = 0; // acks still queued name seqs the new file lacks: harmless when read back
        needsRewrite = false;
    }

    /** Tests: how files and the directory are forced (to make the device slow). */
    void forcer(Forcer f) {
        this.forcer = f;
    }

    private static int writeFully(FileChannel out, ByteBuffer b) throws IOException {
        int n = b.remaining();
        while (b.hasRemaining()) {
            out.write(b);
        }
        return n;
    }

    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some filesystems cannot open a directory for sync; the rename itself is atomic
        }
    }

    static ByteBuffer verdictRecord(Entry e) {
        byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(8 + 2 + topic.length + e.payload().length);
        body.putLong(e.seq()).putShort((short) topic.length).put(topic).put(e.payload());
        return record(VERDICT, body.array());
    }

    static ByteBuffer record(byte type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + body.length + 4);
        b.put(type).putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 5 + body.length);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** Unacknowledged verdicts in seq order. */
    public List<Entry> unacked() {
        return new ArrayList<>(unacked.values());
    }

    /** Unacknowledged verdicts from {@code seq} on, in seq order (a view: no copy). */
    public Iterable<Entry> unackedFrom(long seq) {
        return unacked.tailMap(seq, true).values();
    }

    /** The unacknowledged verdict of {@code seq}, or null once acknowledged. */
    public @Nullable Entry get(long seq) {
        return unacked.get(seq);
    }

    /** The oldest unacknowledged verdict, or null. */
    public @Nullable Entry oldest() {
        Map.Entry<Long, Entry> e = unacked.firstEntry();
        return e == null ? null : e.getValue();
    }

    /** The highest seq ever journaled (0 for a new journal). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    public int size() {
        return unacked.size();
    }

    /** Bytes of unacknowledged verdicts held. */
    public long bytes() {
        return unackedBytes.get();
    }

    public int capacity() {
        return capacity;
    }

    /** At or past capacity: the station must raise an alarm (it never drops a verdict). */
    public boolean full() {
        return unacked.size() >= capacity;
    }

    /** At or past the byte bound: the station must stop taking parts (it never drops a verdict). */
    public boolean overLimit() {
        return unackedBytes.get() >= maxBytes;
    }

    /** Why the last write failed, while the file is behind memory; null when the file holds every verdict. */
    public @Nullable String failure() {
        return failure;
    }

    /** What did not check out when the journal was opened, or null. */
    public @Nullable Quarantine quarantine() {
        return quarantine;
    }

    @Override
    public synchronized void close() {
        try {
            flushAcks();
        } catch (IOException e) {
            // acks not written only mean a re-send after the restart
        }
        try {
            if (channel != null) {
                channel.force(true);
                channel.close();
            }
        } catch (IOException e) {
            // the data is in the file already, or failure() said so
        }
    }
}
