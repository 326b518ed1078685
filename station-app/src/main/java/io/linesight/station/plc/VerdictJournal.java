/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.BufferedInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Verdicts the broker has not acknowledged, on disk (invariant 2). A verdict is appended (and, with {@code sync},
 * forced to the device) before it is published; its PUBACK appends an ack record. At open the file is read back: what
 * was never acknowledged is returned in seq order for re-sending, and the highest seq ever written is known, so seq
 * continues across restarts. The file is compacted (rewritten with only the unacknowledged entries) when acks pile up.
 *
 * <p>Record format (big-endian): {@code 'V' seq:long topicLen:short topic payloadLen:int payload}, {@code 'A' seq:long},
 * {@code 'S' lastSeq:long} (written at compaction). A torn last record (power loss mid-write) is ignored.
 *
 * <p>Thread-safe: appends come from deciding threads (serialised by the link), acks from Paho's callback thread.
 */
public final class VerdictJournal implements AutoCloseable {
    private static final byte VERDICT = 'V';
    private static final byte ACK = 'A';
    private static final byte SEQ = 'S';
    private static final int COMPACT_AFTER_ACKS = 20_000;

    /** One journaled verdict. */
    public record Entry(long seq, String topic, byte[] payload) {
    }

    private final Path file;
    private final int capacity;
    private final boolean sync;
    private final ConcurrentSkipListMap<Long, Entry> unacked = new ConcurrentSkipListMap<>();
    private FileChannel channel;
    private long lastSeq;
    private int acksSinceCompaction;

    private VerdictJournal(Path file, int capacity, boolean sync) {
        this.file = file;
        this.capacity = capacity;
        this.sync = sync;
    }

    /** Opens (creating) the journal and reads back what it holds. */
    public static VerdictJournal open(Path file, int capacity, boolean sync) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        VerdictJournal j = new VerdictJournal(file, capacity, sync);
        if (Files.exists(file)) {
            j.readBack();
        }
        j.rewrite();
        return j;
    }

    private void readBack() throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            while (true) {
                int type;
                try {
                    type = in.readByte();
                } catch (EOFException e) {
                    return;
                }
                try {
                    long seq = in.readLong();
                    lastSeq = Math.max(lastSeq, seq);
                    if (type == VERDICT) {
                        byte[] topic = new byte[in.readUnsignedShort()];
                        in.readFully(topic);
                        byte[] payload = new byte[in.readInt()];
                        in.readFully(payload);
                        unacked.put(seq, new Entry(seq, new String(topic, StandardCharsets.UTF_8), payload));
                    } else if (type == ACK) {
                        unacked.remove(seq);
                    } else if (type != SEQ) {
                        return; // unknown byte: a torn tail; everything before it is good
                    }
                } catch (EOFException torn) {
                    return;
                }
            }
        }
    }

    /** Appends a verdict; returns after it is written (and forced when {@code sync}). */
    public synchronized void append(Entry e) throws IOException {
        byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 2 + topic.length + 4 + e.payload().length);
        b.put(VERDICT).putLong(e.seq()).putShort((short) topic.length).put(topic).putInt(e.payload().length).put(e.payload());
        write(b.flip());
        unacked.put(e.seq(), e);
        lastSeq = Math.max(lastSeq, e.seq());
    }

    /** The broker acknowledged {@code seq}. */
    public synchronized void ack(long seq) throws IOException {
        if (unacked.remove(seq) == null) {
            return;
        }
        write(ByteBuffer.allocate(9).put(ACK).putLong(seq).flip());
        if (++acksSinceCompaction >= COMPACT_AFTER_ACKS) {
            rewrite();
        }
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
        if (sync) {
            channel.force(false);
        }
    }

    /** Rewrites the file with the seq marker and the unacknowledged entries only (atomic rename). */
    private void rewrite() throws IOException {
        if (channel != null) {
            channel.close();
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer seq = ByteBuffer.allocate(9).put(SEQ).putLong(lastSeq).flip();
            out.write(seq);
            for (Entry e : unacked.values()) {
                byte[] topic = e.topic().getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.allocate(1 + 8 + 2 + topic.length + 4 + e.payload().length);
                b.put(VERDICT).putLong(e.seq()).putShort((short) topic.length).put(topic).putInt(e.payload().length)
                        .put(e.payload()).flip();
                while (b.hasRemaining()) {
                    out.write(b);
                }
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        acksSinceCompaction = 0;
    }

    /** Unacknowledged verdicts in seq order. */
    public List<Entry> unacked() {
        return new ArrayList<>(unacked.values());
    }

    /** The highest seq ever journaled (0 for a new journal). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    public int size() {
        return unacked.size();
    }

    public int capacity() {
        return capacity;
    }

    /** At or past capacity: the station must raise an alarm (it never drops a verdict). */
    public boolean full() {
        return unacked.size() >= capacity;
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.force(true);
                channel.close();
            }
        } catch (IOException e) {
            // the data is in the file already; nothing more to do
        }
    }
}
