/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results store's write-ahead spool: an append-only log of JSON lines in numbered segment files
 * ({@code spool-0000000001.jsonl}, …) under one folder, and a {@code position} file saying how far the database has
 * them. Every result is appended here before the writer takes it, so a crash of the process (kill -9) loses nothing
 * that reached {@link #append}: the kernel holds the bytes, and {@link #force()} makes them survive a power cut too.
 *
 * <p>Order of what reaches the disk (see docs/RELIABILITY.md): lines are forced ({@link #force()}) before the writer
 * sends them to the database; the position moves ({@link #commit}) only after the database committed them, and is
 * itself forced before the segments it leaves behind are deleted. A crash anywhere leaves the position at or behind
 * what the database has, never ahead; replaying is safe because the store ignores rows it already has.
 *
 * <p>What cannot be read is never a crash loop: a line that is not whole (half a line a crash left at the end of an
 * older segment, or longer than {@link #MAX_LINE}) comes back with {@link Line#whole()} false, and the writer
 * {@linkplain #quarantine quarantines} it, like a whole line that does not parse, under {@code quarantine/}. A
 * position file that does not check out replays the spool from its oldest segment.
 *
 * <p>Threads: {@link #append} from any thread (short lock, one {@code write} call, never an fsync); everything else
 * from the single writer thread. Bounded: past {@code maxBytes} not yet in the database, {@link #append} refuses.
 */
final class Spool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final long ROTATE_BYTES = 8L << 20;
    /** Longer lines are not results (a row is a few KiB): they are quarantined unparsed. */
    static final int MAX_LINE = 4 << 20;
    static final String QUARANTINE = "quarantine";
    private static final byte[] SEQ_KEY = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    /** {@code segment offset crc}: fixed width, so rewriting it in place never changes the file's length. */
    private static final String POSITION_FORMAT = "%019d %019d %08x\n";
    private static final int POSITION_BYTES = 49;
    private static final byte[] NO_BYTES = new byte[0];
    /** Segment files are named with 10 digits. */
    private static final long MAX_SEGMENT = 9_999_999_999L;
    /** The header {@link #quarantine} writes before the bytes it keeps; they may hold anything, headers too. */
    private static final Pattern QUARANTINE_HEADER = Pattern.compile("# offset \\d{1,19} length (\\d{1,10}) ");

    /** A place in the spool: segment number and byte offset in it. */
    record Cursor(long segment, long offset) {
    }

    /**
     * One line as read, without its {@code '\n'}.
     *
     * @param whole false for bytes that are not a line: the unterminated end of an older segment, or a run longer
     *              than {@link #MAX_LINE}; such bytes are quarantined, never parsed
     */
    record Line(byte[] bytes, Cursor at, boolean whole) {
    }

    /** Lines read from the committed position, and where the next read starts. */
    record Batch(List<Line> lines, Cursor end, long bytes) {
        boolean isEmpty() {
            return lines.isEmpty() && bytes == 0;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long rotateBytes;
    private final Object appendLock = new Object();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong pendingLines = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private final FileChannel positionFile;
    private final long maxSeqAtOpen;
    private final boolean positionReset;
    private FileChannel active; // guarded by appendLock for writes
    private volatile long activeSegment;
    private volatile long activeLength; // bytes of whole lines in the active segment
    private long forced;
    private Cursor committed;
    private boolean appendFailing; // guarded by appendLock

    Spool(Path dir, long maxBytes) throws IOException {
        this(dir, maxBytes, ROTATE_BYTES);
    }

    /** @param rotateBytes a drained segment at least this long is replaced by a fresh one */
    Spool(Path dir, long maxBytes, long rotateBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.rotateBytes = rotateBytes;
        Files.createDirectories(dir);
        List<Long> segments = segments(dir);
        positionFile = FileChannel.open(dir.resolve("position"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Cursor pos = readPosition(positionFile, dir);
        positionReset = pos == null && positionFile.size() > 0;
        pos = startingPoint(pos, segments);
        long maxSeq = 0;
        for (long s : segments) {
            if (s < pos.segment()) {
                Files.deleteIfExists(segment(s));
                continue;
            }
            Path file = segment(s);
            long size = Files.size(file);
            long from = s == pos.segment() ? pos.offset() : 0;
            if (from > size) {
                log.atError().setMessage("spool segment shorter than its saved position: rows after it were lost "
                        + "by the file system").addKeyValue("file", file).addKeyValue("position", from)
                        .addKeyValue("size", size).log();
                from = size;
                pos = new Cursor(s, size);
            }
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                c.force(false); // written by a process that may have died before its next fsync
                Counter count = new Counter();
                scan(c, from, size, true, Integer.MAX_VALUE, count);
                pendingLines.addAndGet(count.lines);
                pendingBytes.addAndGet(size - from);
                maxSeq = Math.max(maxSeq, count.maxSeq);
            }
        }
        maxSeqAtOpen = maxSeq;
        committed = pos;
        // Always append to a fresh segment: an old one may end in half a line from a crash.
        activeSegment = segments.isEmpty() ? pos.segment() : Math.max(segments.getLast() + 1, pos.segment());
        active = open(activeSegment);
        activeLength = active.size();
        forceDirectory(dir);
    }

    /** Where reading starts, given the saved position (null: none or unreadable) and the segments on disk. */
    private Cursor startingPoint(@Nullable Cursor pos, List<Long> segments) {
        if (segments.isEmpty()) {
            return pos == null ? new Cursor(1, 0) : new Cursor(pos.segment(), 0);
        }
        if (pos == null || pos.segment() < segments.getFirst()) {
            return new Cursor(segments.getFirst(), 0);
        }
        if (!segments.contains(pos.segment())) {
            // the saved segment is gone (drained and rotated): everything before it is in the database
            long next = segments.stream().filter(s -> s > pos.segment()).findFirst().orElse(pos.segment());
            return new Cursor(next, 0);
        }
        return pos;
    }

    static List<Long> segments(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("spool-\\d{10}\\.jsonl"))
                    .map(n -> Long.parseLong(n.substring(6, 16))).sorted().toList();
        }
    }

    private Path segment(long n) {
        return segment(dir, n);
    }

    static Path segment(Path dir, long n) {
        return dir.resolve("spool-%010d.jsonl".formatted(n));
    }

    private FileChannel open(long n) throws IOException {
        return FileChannel.open(segment(n), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /** The saved position, or null when there is none or it does not check out (then the whole spool is replayed). */
    static @Nullable Cursor readPosition(FileChannel file, Path dir) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(128);
        file.read(b, 0);
        String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
        if (s.isEmpty()) {
            return null;
        }
        String[] parts = s.strip().split(" ");
        try {
            if (parts.length == 3 && s.length() >= POSITION_BYTES) {
                long crc = Long.parseLong(parts[2], 16);
                if (crc == crc(s.substring(0, 39))) {
                    return cursor(parts[0], parts[1]);
                }
            } else if (parts.length == 2) {
                return cursor(parts[0], parts[1]); // written by an older version, without a checksum
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        log.atError().setMessage("spool position unreadable, replaying the whole spool (rows the database has are "
                + "skipped)").addKeyValue("dir", dir).addKeyValue("content", s.strip()).log();
        return null;
    }

    /**
     * A position as written: a segment number a file can have (1 to 10 digits) and an offset that is not negative.
     * Anything else did not come from {@link #writePosition}: reading at a negative offset threw at every start, and
     * a segment number past every file deleted the segments before it.
     */
    private static Cursor cursor(String segment, String offset) {
        long s = Long.parseLong(segment);
        long o = Long.parseLong(offset);
        if (s < 0 || s > MAX_SEGMENT || o < 0) {
            throw new NumberFormatException("out of range");
        }
        return new Cursor(s, o);
    }

    private static long crc(String text) {
        CRC32 c = new CRC32();
        c.update(text.getBytes(StandardCharsets.US_ASCII));
        return c.getValue();
    }

    /**
     * Appends one line ({@code '\n'} is added). Returns false when the spool is full or the disk refuses; the caller
     * then holds the result elsewhere and raises the alarm. A write the disk refused half-way is cut off again, so
     * the next line starts clean.
     */
    boolean append(byte[] json) {
        if (pendingBytes.get() + json.length + 1 > maxBytes) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        synchronized (appendLock) {
            long before = activeLength;
            try {
                while (b.hasRemaining()) {
                    active.write(b, activeLength + b.position());
                }
            } catch (IOException e) {
                if (!appendFailing) { // once per episode: a full disk refuses every line
                    log.atError().setMessage("spool append failed; results are held in memory until it takes them")
                            .addKeyValue("dir", dir).addKeyValue("error", e.toString()).log();
                    appendFailing = true;
                }
                cutBack(before);
                return false;
            }
            if (appendFailing) {
                appendFailing = false;
                log.atWarn().setMessage("spool takes results again").addKeyValue("dir", dir).log();
            }
            CrashPoint.reached("spool.append");
            activeLength = before + b.limit();
            pendingBytes.addAndGet(b.limit());
            pendingLines.incrementAndGet();
            appended.incrementAndGet();
        }
        return true;
    }

    /** Drops the bytes of a failed append; if even that fails, appends go to a fresh segment from now on. */
    private void cutBack(long length) {
        try {
            active.truncate(length);
        } catch (IOException e) {
            log.atError().setMessage("spool segment could not be cut back after a failed write; continuing in a "
                    + "new segment (the partial line will be quarantined)").addKeyValue("error", e.toString()).log();
            try {
                FileChannel next = open(activeSegment + 1);
                active.close();
                active = next;
                activeSegment++;
                activeLength = 0;
            } catch (IOException again) {
                log.atError().setMessage("no new spool segment either").addKeyValue("error", again.toString()).log();
            }
        }
    }

    /** Whether lines were appended since the last {@link #force()}. Writer thread. */
    boolean unforced() {
        return appended.get() != forced;
    }

    /** Makes what was appended durable (fsync of the active segment). Writer thread. */
    void force() throws IOException {
        FileChannel c;
        long upTo;
        synchronized (appendLock) {
            c = active;
            upTo = appended.get();
        }
        c.force(false);
        CrashPoint.reached("spool.force");
        forced = upTo;
    }

    /** Reads up to {@code max} lines from the committed position. Writer thread. */
    Batch read(int max) throws IOException {
        List<Line> lines = new ArrayList<>();
        Cursor at = committed;
        long bytes = 0;
        while (lines.size() < max) {
            long seg = at.segment();
            boolean older = seg < activeSegment;
            Path file = segment(seg);
            long end;
            try {
                end = older ? Files.size(file) : activeLength;
            } catch (NoSuchFileException e) {
                if (!older) {
                    break;
                }
                at = new Cursor(seg + 1, 0);
                continue;
            }
            long consumed;
            Collector collect = new Collector(lines, seg);
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
                consumed = scan(c, at.offset(), end, older, max - lines.size(), collect);
            }
            bytes += consumed;
            at = new Cursor(seg, at.offset() + consumed);
            if (!older || lines.size() >= max || at.offset() < end) {
                break;
            }
            at = new Cursor(seg + 1, 0);
        }
        if (lines.isEmpty() && bytes == 0) {
            reconcile(at);
        }
        return new Batch(lines, at, bytes);
    }

    /**
     * Nothing left to read: whatever the counters still hold was never there (a segment removed by hand, say). Set
     * them right, under the append lock so that no line appended meanwhile is forgotten; otherwise the writer would
     * look for rows that do not exist.
     */
    private void reconcile(Cursor at) {
        synchronized (appendLock) {
            if (at.segment() >= activeSegment && at.offset() >= activeLength && pendingBytes.get() != 0) {
                log.atWarn().setMessage("spool counted bytes that are not on disk (files removed?); counters reset")
                        .addKeyValue("dir", dir).addKeyValue("bytes", pendingBytes.get())
                        .addKeyValue("rows", pendingLines.get()).log();
                pendingBytes.set(0);
                pendingLines.set(0);
            }
        }
    }

    /** Receives the lines {@link #scan} finds; returns false to stop. */
    private interface LineSink {
        boolean line(byte[] buf, int from, int to, long fileOffset, boolean whole);
    }

    /**
     * Walks the lines of {@code c} from {@code offset} to {@code end}. Returns the bytes consumed: through the last
     * whole line, plus an unterminated tail when {@code tailIsBroken} (the segment will not grow any more).
     */
    private static long scan(FileChannel c, long offset, long end, boolean tailIsBroken, int maxLines, LineSink sink)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        byte[] carry = NO_BYTES; // an unfinished line from the previous chunk
        long carryAt = offset;
        long pos = offset;
        long consumed = 0;
        int lines = 0;
        while (pos < end && lines < maxLines) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            int n = c.read(buf, pos);
            if (n <= 0) {
                break;
            }
            byte[] chunk = buf.array();
            int start = 0;
            for (int k = 0; k < n && lines < maxLines; k++) {
                if (chunk[k] != '\n') {
                    continue;
                }
                boolean more;
                if (carry.length == 0) {
                    more = sink.line(chunk, start, k, pos + start, true);
                    consumed += k - start + 1;
                } else {
                    byte[] whole = join(carry, chunk, start, k);
                    more = sink.line(whole, 0, whole.length, carryAt, true);
                    consumed += whole.length + 1;
                    carry = NO_BYTES;
                }
                lines++;
                start = k + 1;
                if (!more) {
                    return consumed;
                }
            }
            if (lines >= maxLines) {
                return consumed;
            }
            if (start < n) {
                if (carry.length == 0) {
                    carryAt = pos + start;
                }
                carry = join(carry, chunk, start, n);
                if (carry.length > MAX_LINE) {
                    lines++;
                    sink.line(carry, 0, carry.length, carryAt, false);
                    consumed += carry.length;
                    carry = NO_BYTES;
                }
            }
            pos += n;
        }
        if (tailIsBroken && carry.length > 0 && pos >= end && lines < maxLines) {
            sink.line(carry, 0, carry.length, carryAt, false);
            consumed += carry.length;
        }
        return consumed;
    }

    private static byte[] join(byte[] carry, byte[] chunk, int from, int to) {
        byte[] out = new byte[carry.length + to - from];
        System.arraycopy(carry, 0, out, 0, carry.length);
        System.arraycopy(chunk, from, out, carry.length, to - from);
        return out;
    }

    /** Counts whole lines and finds the highest {@code "seq":} among them. */
    private static final class Counter implements LineSink {
        long lines;
        long brokenBytes;
        long maxSeq;

        @Override
        public boolean line(byte[] buf, int from, int to, long fileOffset, boolean whole) {
            if (whole) {
                lines++;
                maxSeq = Math.max(maxSeq, seqOf(buf, from, to));
            } else {
                brokenBytes += to - from;
            }
            return true;
        }
    }

    /** Copies the lines out, up to the batch's size. */
    private record Collector(List<Line> out, long segment) implements LineSink {
        @Override
        public boolean line(byte[] buf, int from, int to, long fileOffset, boolean whole) {
            byte[] copy = new byte[to - from];
            System.arraycopy(buf, from, copy, 0, copy.length);
            out.add(new Line(copy, new Cursor(segment, fileOffset), whole));
            return true;
        }
    }

    /** The number after the first {@code "seq":} in a line, 0 when there is none. */
    static long seqOf(byte[] b, int from, int to) {
        outer:
        for (int k = from; k + SEQ_KEY.length < to; k++) {
            for (int j = 0; j < SEQ_KEY.length; j++) {
                if (b[k + j] != SEQ_KEY[j]) {
                    continue outer;
                }
            }
            long v = 0;
            int digits = 0;
            for (int d = k + SEQ_KEY.length; d < to && digits < 18 && b[d] >= '0' && b[d] <= '9'; d++, digits++) {
                v = v * 10 + (b[d] - '0');
            }
            return v;
        }
        return 0;
    }

    /**
     * The database has everything up to {@code batch.end()}: saves the position (forced before anything relies on
     * it), then deletes the segments it left behind. Writer thread; call only after the database committed.
     */
    void commit(Batch batch) throws IOException {
        long whole = batch.lines().stream().filter(Line::whole).count();
        writePosition(batch.end());
        committed = batch.end();
        pendingLines.addAndGet(-whole);
        pendingBytes.addAndGet(-batch.bytes());
        for (long s : segments(dir)) {
            if (s < committed.segment()) {
                Files.deleteIfExists(segment(s));
                CrashPoint.reached("spool.segment.deleted");
            }
        }
        rotateIfDrained();
    }

    private void writePosition(Cursor c) throws IOException {
        String head = String.format(Locale.ROOT, "%019d %019d", c.segment(), c.offset());
        byte[] rec = String.format(Locale.ROOT, POSITION_FORMAT, c.segment(), c.offset(), crc(head))
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.wrap(rec);
        while (b.hasRemaining()) {
            positionFile.write(b, b.position());
        }
        if (positionFile.size() > rec.length) {
            positionFile.truncate(rec.length); // a position of an older version, longer than this one
        }
        CrashPoint.reached("spool.position.written");
        positionFile.force(false);
        CrashPoint.reached("spool.position.forced");
    }

    private void rotateIfDrained() throws IOException {
        if (committed.segment() != activeSegment || committed.offset() < rotateBytes) {
            return;
        }
        synchronized (appendLock) {
            if (activeLength != committed.offset()) {
                return; // more arrived; rotate on a later commit
            }
            FileChannel next = open(activeSegment + 1);
            forceDirectory(dir);
            long old = activeSegment;
            active.close();
            active = next;
            activeSegment++;
            activeLength = 0;
            forced = appended.get();
            writePosition(new Cursor(activeSegment, 0));
            committed = new Cursor(activeSegment, 0);
            Files.deleteIfExists(segment(old));
            CrashPoint.reached("spool.rotated");
        }
    }

    /**
     * Keeps bytes the writer cannot turn into a row under {@code quarantine/spool-<segment>.bad}, each after a
     * header line saying where it was and why, and forces them: only then may the position move past them.
     *
     * @throws IOException when they could not be kept (the position must not move: the writer retries)
     */
    void quarantine(Line line, String why) throws IOException {
        Path q = Files.createDirectories(dir.resolve(QUARANTINE));
        Path file = q.resolve("spool-%010d.bad".formatted(line.at().segment()));
        String header = String.format(Locale.ROOT, "# offset %d length %d %s: %s%n", line.at().offset(),
                line.bytes().length, line.whole() ? "line" : "not a whole line", why.replace('\n', ' '));
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.allocate(header.length() * 3 + line.bytes().length + 1)
                    .put(header.getBytes(StandardCharsets.UTF_8)).put(line.bytes()).put((byte) '\n').flip();
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        CrashPoint.reached("spool.quarantined");
        log.atError().setMessage("spool bytes quarantined").addKeyValue("file", file)
                .addKeyValue("segment", line.at().segment()).addKeyValue("offset", line.at().offset())
                .addKeyValue("bytes", line.bytes().length).addKeyValue("reason", why).log();
    }

    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse to sync a directory; the data files themselves are forced.
            log.atDebug().setMessage("directory not synced").addKeyValue("dir", dir).addKeyValue("error", e.toString()).log();
        }
    }

    /** Results appended and not yet in the database. */
    long pendingLines() {
        return pendingLines.get();
    }

    long pendingBytes() {
        return pendingBytes.get();
    }

    /** The highest seq on the spool when it was opened (0 when none): what a previous run decided last, at least. */
    long maxSeqAtOpen() {
        return maxSeqAtOpen;
    }

    /** Whether the position file did not check out at open (the spool was replayed from its oldest segment). */
    boolean positionReset() {
        return positionReset;
    }

    Path dir() {
        return dir;
    }

    /**
     * What a spool folder holds, read without changing anything (another process may be writing it): rows not yet
     * in the database, and what was set aside.
     */
    static SpoolBacklog backlog(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return SpoolBacklog.NONE;
        }
        Cursor pos = null;
        Path position = dir.resolve("position");
        if (Files.exists(position)) {
            try (FileChannel p = FileChannel.open(position, StandardOpenOption.READ)) {
                pos = readPosition(p, dir);
            }
        }
        long lines = 0;
        long bytes = 0;
        for (long s : segments(dir)) {
            if (pos != null && s < pos.segment()) {
                continue;
            }
            Path file = segment(dir, s);
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = c.size();
                long from = pos != null && s == pos.segment() ? Math.min(pos.offset(), size) : 0;
                Counter count = new Counter();
                scan(c, from, size, false, Integer.MAX_VALUE, count);
                lines += count.lines;
                bytes += size - from;
            } catch (NoSuchFileException e) {
                // drained and deleted while we looked
            }
        }
        return new SpoolBacklog(lines, bytes, countQuarantined(dir.resolve(QUARANTINE)),
                countLines(dir.resolve(StoreWriter.REJECTED)));
    }

    /**
     * Counts the entries of the quarantine files by their headers, skipping the bytes each header announces: a
     * quarantined line that itself looks like a header is not counted twice.
     */
    private static long countQuarantined(Path quarantineDir) throws IOException {
        if (!Files.isDirectory(quarantineDir)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.list(quarantineDir)) {
            for (Path f : files.toList()) {
                byte[] all = Files.readAllBytes(f);
                int at = 0;
                while (at < all.length) {
                    int nl = at;
                    while (nl < all.length && all[nl] != '\n') {
                        nl++;
                    }
                    Matcher header = QUARANTINE_HEADER.matcher(new String(all, at, nl - at, StandardCharsets.ISO_8859_1));
                    if (header.lookingAt()) {
                        n++;
                        at = (int) Math.min(all.length, nl + 1L + Long.parseLong(header.group(1)) + 1);
                    } else {
                        at = nl + 1; // not a header (a file cut short or edited): look for the next one
                    }
                }
            }
        }
        return n;
    }

    private static long countLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.count();
        }
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
