/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static io.linesight.station.store.Parts.entry;
import static io.linesight.station.store.Parts.reject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.linesight.rules.judge.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spools as a crash, a dying disk or a careless hand leave them, made at random in a loop: bytes flipped, runs of
 * zeros (what a file system writes for blocks it lost), segments cut short, garbage appended, a line longer than any
 * row, a position file that does not check out. Each time a real results writer on a real SQLite database replays the
 * spool: it must neither throw nor stall, must store every line the damage did not touch, and must quarantine and
 * count what it could not read (as {@code station report} then shows).
 */
@DisplayName("a results writer replaying a damaged spool should")
class SpoolCorruptionTest {
    static final int ROUNDS = 60;
    static final int ROWS = 40;
    static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");

    @TempDir
    Path dir;

    /** Where one line lies: segment, first byte, one past its newline. */
    record Place(int segment, long from, long to, long seq) {
    }

    @Test
    void quarantineWhatItCannotRead_storeEveryUntouchedLine_andNeverStall() throws Exception {
        Random random = new Random(20_261_202);
        ObjectWriter json = new com.fasterxml.jackson.databind.ObjectMapper().writerFor(SpoolRecord.class);
        long quarantinedTotal = 0;
        try (ResultsStore store = ResultsStore.openSqlite(dir.resolve("db"), "fuzz", "writer")) {
            for (int round = 0; round < ROUNDS; round++) {
                String station = "r" + round;
                Path spool = Files.createDirectories(dir.resolve("spool-" + round));
                List<Place> places = writeSpool(spool, station, json);
                List<long[]> damage = new ArrayList<>(); // {segment, from, to}
                boolean surelyUnreadable = corrupt(spool, random, damage);

                StoreWriter writer = new StoreWriter(store, spool, 1L << 30);
                long until = System.nanoTime() + 20_000_000_000L;
                while ((writer.status().replaying() || writer.pending() > 0) && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                writer.close();
                StoreWriter.Status s = writer.status();
                assertThat(s.spooled()).as("round %d: nothing stuck on the spool", round).isZero();
                assertThat(s.failing()).as("round %d: damage is not an outage", round).isFalse();

                Set<Long> stored = storedSeqs(store, station);
                for (Place p : places) {
                    boolean touched = damage.stream().anyMatch(d -> d[0] == p.segment() && d[1] < p.to() && d[2] > p.from());
                    if (!touched) {
                        assertThat(stored).as("round %d: untouched seq %d stored", round, p.seq()).contains(p.seq());
                    }
                }
                if (surelyUnreadable) {
                    assertThat(s.quarantined() + s.refused()).as("round %d: what could not be read is set aside and "
                            + "counted", round).isPositive();
                }
                assertThat(Spool.backlog(spool).quarantined()).as("round %d: the report counts the same", round)
                        .isEqualTo(s.quarantined());
                quarantinedTotal += s.quarantined();
            }
        }
        assertThat(quarantinedTotal).as("the damage did reach the quarantine").isPositive();
    }

    /** Rows seq 1..ROWS of {@code station} over three segments, as an earlier run left them; where each line is. */
    private static List<Place> writeSpool(Path spool, String station, ObjectWriter json) throws Exception {
        List<Place> places = new ArrayList<>();
        ByteArrayOutputStream[] segs = {new ByteArrayOutputStream(), new ByteArrayOutputStream(), new ByteArrayOutputStream()};
        for (long seq = 1; seq <= ROWS; seq++) {
            int seg = (int) Math.min(2, (seq - 1) * 3 / ROWS);
            VerdictRow row = VerdictRow.of(entry(reject("P" + seq, seq, T0.plusMillis(seq), 5, "bracket@1",
                    ReasonCode.DEFECT_DETECTED, "scratch")), "fuzz", station);
            byte[] b = json.writeValueAsBytes(row);
            long from = segs[seg].size();
            segs[seg].write(b);
            segs[seg].write('\n');
            places.add(new Place(seg + 1, from, segs[seg].size(), seq));
        }
        for (int k = 0; k < 3; k++) {
            Files.write(Spool.segment(spool, k + 1), segs[k].toByteArray());
        }
        return places;
    }

    /**
     * Damages the spool in one or two random ways; records the damaged byte ranges. Returns whether some line surely
     * cannot be read (a run of zeros inside a line, a line cut short, garbage, an over-long line).
     */
    private static boolean corrupt(Path spool, Random random, List<long[]> damage) throws Exception {
        Set<Integer> unreadable = new HashSet<>(); // segments with bytes that are surely not a row
        int ways = 1 + random.nextInt(2);
        for (int w = 0; w < ways; w++) {
            int seg = 1 + random.nextInt(3);
            Path file = Spool.segment(spool, seg);
            if (!Files.exists(file)) {
                continue; // lost by the first damage already
            }
            byte[] b = Files.readAllBytes(file);
            if (b.length == 0) {
                continue;
            }
            switch (random.nextInt(7)) {
                case 0 -> { // flipped bytes
                    for (int k = 0; k < 1 + random.nextInt(5); k++) {
                        int at = random.nextInt(b.length);
                        b[at] ^= (byte) (1 + random.nextInt(255));
                        damage.add(new long[] {seg, at, at + 1});
                    }
                    Files.write(file, b);
                }
                case 1 -> { // zeros where blocks were lost
                    int at = random.nextInt(b.length);
                    int n = Math.min(b.length - at, 1 + random.nextInt(300));
                    java.util.Arrays.fill(b, at, at + n, (byte) 0);
                    damage.add(new long[] {seg, at, at + n});
                    Files.write(file, b);
                    unreadable.add(seg); // inside a line, over a newline, or over the last one: never a row
                }
                case 2 -> { // cut short
                    int at = random.nextInt(b.length);
                    Files.write(file, java.util.Arrays.copyOf(b, at));
                    damage.add(new long[] {seg, at, Long.MAX_VALUE});
                    if (at > 0 && b[at - 1] != '\n') {
                        unreadable.add(seg);
                    }
                }
                case 3 -> { // garbage after the last line, no newline
                    byte[] g = new byte[1 + random.nextInt(200)];
                    random.nextBytes(g);
                    Files.write(file, g, StandardOpenOption.APPEND);
                    damage.add(new long[] {seg, b.length, Long.MAX_VALUE});
                    unreadable.add(seg);
                }
                case 4 -> { // a line longer than any row: megabytes without a newline
                    byte[] g = new byte[Spool.MAX_LINE + 1000];
                    java.util.Arrays.fill(g, (byte) 'x');
                    Files.write(file, g, StandardOpenOption.APPEND);
                    Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
                    damage.add(new long[] {seg, b.length, Long.MAX_VALUE});
                    unreadable.add(seg);
                }
                case 5 -> { // a position file that does not check out
                    byte[] g = new byte[random.nextInt(80)];
                    random.nextBytes(g);
                    Files.write(spool.resolve("position"), g);
                }
                default -> { // a whole segment lost
                    Files.delete(file);
                    unreadable.remove(seg);
                    damage.add(new long[] {seg, 0, Long.MAX_VALUE});
                }
            }
        }
        return !unreadable.isEmpty();
    }

    private static Set<Long> storedSeqs(ResultsStore store, String station) throws Exception {
        Set<Long> out = new HashSet<>();
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM verdicts WHERE line = 'fuzz' AND station = ?")) {
            ps.setString(1, station);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            c.commit();
        }
        return out;
    }
}
