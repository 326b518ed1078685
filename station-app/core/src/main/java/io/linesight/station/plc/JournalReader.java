/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Reads a verdict journal's bytes back (format in {@link VerdictJournal}). Total: any input gives a result, never an
 * exception; bytes that do not form records with a matching CRC are returned as corrupt ranges, and reading goes on
 * at the next offset where a whole record checks out. A record cut short by the end of the input is a torn write and
 * is dropped without being called corrupt.
 */
final class JournalReader {

    record Verdict(long seq, String topic, byte[] payload) {
    }

    record Range(int from, int to, String reason) {
    }

    /** What the journal holds: unacknowledged verdicts by seq, the highest seq seen, and what did not check out. */
    record Result(TreeMap<Long, Verdict> verdicts, long lastSeq, List<Range> corrupt) {
    }

    private JournalReader() {
    }

    static Result read(byte[] all) {
        if (all.length == 0) {
            return new Result(new TreeMap<>(), 0, List.of());
        }
        if (all.length >= 4 && all[0] == 'L' && all[1] == 'S' && all[2] == 'J' && all[3] == '2') {
            return readV2(all, 4, null);
        }
        if (all[0] == VerdictJournal.SEQ) {
            // the first format always started with its seq marker; read it only if it reads cleanly to the end
            Result first = readFirstFormat(all);
            if (first.corrupt().isEmpty()) {
                return first;
            }
        }
        return readV2(all, 0, "the file does not start with LSJ2");
    }

    private static Result readV2(byte[] all, int start, @Nullable String badStart) {
        TreeMap<Long, Verdict> verdicts = new TreeMap<>();
        List<Range> corrupt = new ArrayList<>();
        long lastSeq = 0;
        int pos = start;
        int badFrom = badStart == null ? -1 : 0;
        String badReason = badStart == null ? "" : badStart;
        while (pos < all.length) {
            Parsed p = parse(all, pos);
            if (p.length() < 0) {
                if (badFrom < 0) {
                    if (p.torn() && !wholeRecordAfter(all, pos + 1)) {
                        break; // power lost mid-record: the end of the journal
                    }
                    badFrom = pos;
                    badReason = p.reason() + " at byte " + pos;
                }
                pos++;
                continue;
            }
            if (badFrom >= 0) {
                if (pos > badFrom) { // a file without the magic whose first record reads has nothing to quarantine
                    corrupt.add(new Range(badFrom, pos, badReason));
                }
                badFrom = -1;
            }
            ByteBuffer body = ByteBuffer.wrap(all, pos + 5, p.bodyLength());
            switch (all[pos]) {
                case VerdictJournal.VERDICT -> {
                    long seq = body.getLong();
                    int topicLength = body.getShort() & 0xFFFF;
                    byte[] topic = new byte[topicLength];
                    body.get(topic);
                    byte[] payload = new byte[body.remaining()];
                    body.get(payload);
                    verdicts.put(seq, new Verdict(seq, new String(topic, StandardCharsets.UTF_8), payload));
                    lastSeq = Math.max(lastSeq, seq);
                }
                case VerdictJournal.ACK -> {
                    while (body.hasRemaining()) {
                        verdicts.remove(body.getLong());
                    }
                }
                default -> lastSeq = Math.max(lastSeq, body.getLong()); // SEQ
            }
            pos += p.length();
        }
        if (badFrom >= 0) {
            corrupt.add(new Range(badFrom, all.length, badReason));
        }
        return new Result(verdicts, lastSeq, corrupt);
    }

    private static boolean wholeRecordAfter(byte[] all, int from) {
        for (int pos = from; pos < all.length; pos++) {
            if (parse(all, pos).length() > 0) {
                return true;
            }
        }
        return false;
    }

    /** A record at {@code pos}: its whole length, or -1 with the reason; {@code torn} when the input ends inside it. */
    private record Parsed(int length, int bodyLength, boolean torn, String reason) {
    }

    private static Parsed parse(byte[] all, int pos) {
        byte type = all[pos];
        if (type != VerdictJournal.VERDICT && type != VerdictJournal.ACK && type != VerdictJournal.SEQ) {
            return new Parsed(-1, 0, false, "unknown record type " + (type & 0xFF));
        }
        if (all.length - pos < 5) {
            return new Parsed(-1, 0, true, "record cut short");
        }
        int bodyLength = ByteBuffer.wrap(all, pos + 1, 4).getInt();
        boolean fits = switch (type) {
            case VerdictJournal.VERDICT -> bodyLength >= 10 && bodyLength <= VerdictJournal.MAX_BODY;
            case VerdictJournal.ACK -> bodyLength >= 8 && bodyLength % 8 == 0 && bodyLength <= VerdictJournal.MAX_BODY;
            default -> bodyLength == 8;
        };
        if (!fits) {
            return new Parsed(-1, 0, false, "record length " + bodyLength + " out of bounds");
        }
        long end = (long) pos + 5 + bodyLength + 4;
        if (end > all.length) {
            return new Parsed(-1, 0, true, "record cut short");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, pos, 5 + bodyLength);
        if ((int) crc.getValue() != ByteBuffer.wrap(all, pos + 5 + bodyLength, 4).getInt()) {
            return new Parsed(-1, 0, false, "checksum mismatch");
        }
        if (type == VerdictJournal.VERDICT) {
            int topicLength = ByteBuffer.wrap(all, pos + 5 + 8, 2).getShort() & 0xFFFF;
            if (topicLength > bodyLength - 10) {
                return new Parsed(-1, 0, false, "topic length " + topicLength + " out of bounds");
            }
        }
        return new Parsed((int) (end - pos), bodyLength, false, "");
    }

    /**
     * The first journal format: {@code 'V' seq topicLength:short topic payloadLength:int payload}, {@code 'A' seq},
     * {@code 'S' seq}, no checksum. Read up to the first record that does not fit; the rest is reported corrupt
     * unless the input simply ends inside a record.
     */
    private static Result readFirstFormat(byte[] all) {
        TreeMap<Long, Verdict> verdicts = new TreeMap<>();
        long lastSeq = 0;
        ByteBuffer in = ByteBuffer.wrap(all);
        while (in.hasRemaining()) {
            int start = in.position();
            byte type = in.get();
            if (type != VerdictJournal.VERDICT && type != VerdictJournal.ACK && type != VerdictJournal.SEQ) {
                return new Result(verdicts, lastSeq, List.of(new Range(start, all.length, "unknown record type "
                        + (type & 0xFF) + " at byte " + start)));
            }
            if (in.remaining() < 8) {
                break;
            }
            long seq = in.getLong();
            if (type == VerdictJournal.VERDICT) {
                if (in.remaining() < 2) {
                    break;
                }
                int topicLength = in.getShort() & 0xFFFF;
                if (in.remaining() < topicLength + 4) {
                    break;
                }
                byte[] topic = new byte[topicLength];
                in.get(topic);
                int payloadLength = in.getInt();
                if (payloadLength < 0 || payloadLength > VerdictJournal.MAX_BODY) {
                    return new Result(verdicts, lastSeq, List.of(new Range(start, all.length, "payload length "
                            + payloadLength + " out of bounds at byte " + start)));
                }
                if (in.remaining() < payloadLength) {
                    break;
                }
                byte[] payload = new byte[payloadLength];
                in.get(payload);
                verdicts.put(seq, new Verdict(seq, new String(topic, StandardCharsets.UTF_8), payload));
            } else if (type == VerdictJournal.ACK) {
                verdicts.remove(seq);
            }
            lastSeq = Math.max(lastSeq, seq);
        }
        return new Result(verdicts, lastSeq, List.of());
    }
}
