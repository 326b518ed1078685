/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results store's write-ahead spool: an append-only log of JSON lines in numbered segment files
 * ({@code spool-0000000001.jsonl}, …) under one folder, and a {@code position} file saying how far the database has
 * them. Every result is appended here before the writer takes it, so a crash of the process (kill -9) loses nothing
 * that reached {@link #append}: the kernel holds the bytes, and {@link #force()} per batch makes them survive a power
 * cut too. Replaying is safe because the store ignores rows it already has.
 *
 * <p>Threads: {@link #append} from any thread (short lock, one {@code write} call, never an fsync); everything else
 * from the single writer thread. Bounded: past {@code maxBytes} not yet in the database, {@link #append} refuses.
 */
final class Spool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final long ROTATE_BYTES = 8L << 20;

    /** A place in the spool: segment number and byte offset in it. */
    record Cursor(long segment, long offset) {
    }

    /** Lines read from {@code start}, and where the next read starts. */
    record Batch(List<byte[]> lines, Cursor end, long bytes) {
        boolean isEmpty() {
            return lines.isEmpty();
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long rotateBytes;
    private final Object appendLock = new Object();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong pendingLines = new AtomicLong();
    private final FileChannel positionFile;
    private FileChannel active; // guarded by appendLock for writes; the writer thread reads positionally
    private volatile long activeSegment;
    private Cursor committed;

    Spool(Path dir, long maxBytes) throws IOException {
        this(dir, maxBytes, ROTATE_BYTES);
    }

    /** @param rotateBytes a drained segment at least this long is replaced by a fresh one */
    Spool(Path dir, long maxBytes, long rotateBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.rotateBytes = rotateBytes;
        Files.createDirectories(dir);
        List<Long> segments = segments();
        positionFile = FileChannel.open(dir.resolve("position"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Cursor pos = readPosition();
        if (pos == null || !segments.contains(pos.segment())) {
            pos = new Cursor(segments.isEmpty() ? 1 : segments.getFirst(), 0);
        }
        for (long s : segments) {
            if (s < pos.segment()) {
                Files.deleteIfExists(segment(s));
            } else {
                long from = s == pos.segment() ? pos.offset() : 0;
                countPending(segment(s), from);
            }
        }
        committed = pos;
        // Always append to a fresh segment: an old one may end in half a line from a crash.
        activeSegment = segments.isEmpty() ? pos.segment() : segments.getLast() + 1;
        active = open(activeSegment);
    }

    private void countPending(Path file, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long lines = 0;
        long bytes = 0;
        for (int k = (int) Math.min(from, all.length); k < all.length; k++) {
            bytes++;
            if (all[k] == '\n') {
                lines++;
            }
        }
        pendingLines.addAndGet(lines);
        pendingBytes.addAndGet(bytes);
    }

    private List<Long> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("spool-\\d{10}\\.jsonl"))
                    .map(n -> Long.parseLong(n.substring(6, 16))).sorted().toList();
        }
    }

    private Path segment(long n) {
        return dir.resolve("spool-%010d.jsonl".formatted(n));
    }

    private FileChannel open(long n) throws IOException {
        return FileChannel.open(segment(n), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private Cursor readPosition() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        positionFile.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        String[] parts = s.split(" ");
        if (parts.length != 2) {
            return null;
        }
        try {
            return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            log.atWarn().setMessage("spool position unreadable, replaying the whole spool").addKeyValue("dir", dir).log();
            return null;
        }
    }

    /**
     * Appends one line ({@code '\n'} is added). Returns false when the spool is full or the disk refuses; the caller
     * then holds the result elsewhere and raises the alarm.
     */
    boolean append(byte[] json) {
        if (pendingBytes.get() + json.length + 1 > maxBytes) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        synchronized (appendLock) {
            try {
                while (b.hasRemaining()) {
                    active.write(b);
                }
            } catch (IOException e) {
                log.atError().setMessage("spool append failed").addKeyValue("dir", dir).addKeyValue("error", e.toString()).log();
                return false;
            }
            pendingBytes.addAndGet(b.limit());
            pendingLines.incrementAndGet();
        }
        return true;
    }

    /** Makes what was appended durable (fsync of the active segment). Writer thread. */
    void force() throws IOException {
        FileChannel c;
        synchronized (appendLock) {
            c = active;
        }
        c.force(false);
    }

    /** Reads up to {@code max} whole lines from the committed position. Writer thread. */
    Batch read(int max) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        Cursor at = committed;
        long bytes = 0;
        while (lines.size() < max) {
            Path file = segment(at.segment());
            if (!Files.exists(file)) {
                if (at.segment() >= activeSegment) {
                    break;
                }
                at = new Cursor(at.segment() + 1, 0);
                continue;
            }
            long consumed = readLines(file, at.offset(), max - lines.size(), lines);
            bytes += consumed;
            at = new Cursor(at.segment(), at.offset() + consumed);
            if (lines.size() >= max || at.segment() >= activeSegment) {
                break;
            }
            // An older segment: anything left after its last newline is half a line from a crash.
            long size = Files.size(file);
            if (at.offset() < size) {
                log.atWarn().setMessage("spool segment ends in an incomplete line, skipped").addKeyValue("file", file)
                        .addKeyValue("bytes", size - at.offset()).log();
                bytes += size - at.offset();
            }
            at = new Cursor(at.segment() + 1, 0);
        }
        return new Batch(lines, at, bytes);
    }

    private static long readLines(Path file, long offset, int max, List<byte[]> out) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            long consumed = 0;
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            byte[] carry = new byte[0];
            long pos = offset;
            while (out.size() < max) {
                buf.clear();
                int n = c.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                pos += n;
                byte[] chunk = new byte[carry.length + n];
                System.arraycopy(carry, 0, chunk, 0, carry.length);
                System.arraycopy(buf.array(), 0, chunk, carry.length, n);
                int start = 0;
                for (int k = 0; k < chunk.length && out.size() < max; k++) {
                    if (chunk[k] == '\n') {
                        out.add(java.util.Arrays.copyOfRange(chunk, start, k));
                        consumed += k - start + 1;
                        start = k + 1;
                    }
                }
                if (out.size() >= max) {
                    break;
                }
                carry = java.util.Arrays.copyOfRange(chunk, start, chunk.length);
            }
            return consumed;
        }
    }

    /** The database has everything up to {@code batch.end()}: move the position, drop finished segments. */
    void commit(Batch batch) throws IOException {
        committed = batch.end();
        pendingLines.addAndGet(-batch.lines().size());
        pendingBytes.addAndGet(-batch.bytes());
        ByteBuffer b = ByteBuffer.wrap("%d %d\n".formatted(committed.segment(), committed.offset())
                .getBytes(StandardCharsets.US_ASCII));
        positionFile.truncate(0);
        positionFile.write(b, 0);
        for (long s : segments()) {
            if (s < committed.segment()) {
                Files.deleteIfExists(segment(s));
            }
        }
        rotateIfDrained();
    }

    private void rotateIfDrained() throws IOException {
        if (committed.segment() != activeSegment || committed.offset() < rotateBytes) {
            return;
        }
        synchronized (appendLock) {
            if (active.size() != committed.offset()) {
                return; // more arrived; rotate on a later commit
            }
            FileChannel next = open(activeSegment + 1);
            active.close();
            Files.deleteIfExists(segment(activeSegment));
            active = next;
            activeSegment++;
            committed = new Cursor(activeSegment, 0);
        }
    }

    /** Results appended and not yet in the database. */
    long pendingLines() {
        return pendingLines.get();
    }

    long pendingBytes() {
        return pendingBytes.get();
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        synchronized (appendLock) {
            try {
                active.force(false);
                active.close();
                positionFile.close();
            } catch (IOException e) {
                log.atWarn().setMessage("spool close failed").addKeyValue("error", e.toString()).log();
            }
        }
    }
}
