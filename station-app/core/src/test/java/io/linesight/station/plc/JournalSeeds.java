/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the seed corpus of {@link JournalFuzzTest}: journals as the station writes them (verdicts, acks, the seq
 * marker), one in the first format (no checksums), one cut inside its last record, one with a flipped byte and one
 * with garbage between records. Run from the module folder:
 * {@code java -cp "target/test-classes:target/classes:target/lib/*" io.linesight.station.plc.JournalSeeds}.
 */
final class JournalSeeds {
    static final Path INPUTS = Path.of("src/test/resources/io/linesight/station/plc/JournalFuzzTestInputs/journal");

    private JournalSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(args.length == 0 ? INPUTS : Path.of(args[0]));
        byte[] clean = journal(false);
        Files.write(out.resolve("clean.bin"), clean);
        Files.write(out.resolve("acks.bin"), journal(true));
        Files.write(out.resolve("torn-tail.bin"), Arrays.copyOf(clean, clean.length - 7));
        byte[] flipped = clean.clone();
        flipped[40] ^= 0x10;
        Files.write(out.resolve("flipped-byte.bin"), flipped);
        ByteArrayOutputStream garbage = new ByteArrayOutputStream();
        garbage.write(clean, 0, 21); // magic and the seq marker
        garbage.write("VVV\0\0\0\u0020garbage".getBytes(StandardCharsets.ISO_8859_1));
        garbage.write(clean, 21, clean.length - 21);
        Files.write(out.resolve("garbage-between.bin"), garbage.toByteArray());
        Files.write(out.resolve("first-format.bin"), firstFormat());
    }

    private static byte[] journal(boolean acks) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(VerdictJournal.MAGIC);
        b.writeBytes(bytes(VerdictJournal.record(VerdictJournal.SEQ, ByteBuffer.allocate(8).putLong(41).array())));
        for (long seq = 42; seq < 45; seq++) {
            b.writeBytes(bytes(VerdictJournal.verdictRecord(new VerdictJournal.Entry(seq, "l1/s1/verdict",
                    ("{\"seq\":" + seq + ",\"partId\":\"P-" + seq + "\",\"verdict\":\"PASS\"}")
                            .getBytes(StandardCharsets.UTF_8)))));
        }
        if (acks) {
            b.writeBytes(bytes(VerdictJournal.record(VerdictJournal.ACK,
                    ByteBuffer.allocate(16).putLong(42).putLong(44).array())));
        }
        return b.toByteArray();
    }

    private static byte[] firstFormat() {
        byte[] topic = "l1/s1/verdict".getBytes(StandardCharsets.UTF_8);
        byte[] payload = "{\"seq\":7}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(9 + 9 + 2 + topic.length + 4 + payload.length + 9);
        b.put(VerdictJournal.SEQ).putLong(6);
        b.put(VerdictJournal.VERDICT).putLong(7).putShort((short) topic.length).put(topic).putInt(payload.length).put(payload);
        b.put(VerdictJournal.ACK).putLong(5);
        return b.array();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
