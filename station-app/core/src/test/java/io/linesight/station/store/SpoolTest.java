/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the results spool should")
class SpoolTest {
    @TempDir
    Path dir;

    static byte[] line(int k) {
        return ("{\"n\":" + k + "}").getBytes(StandardCharsets.UTF_8);
    }

    static List<String> text(Spool.Batch b) {
        return b.lines().stream().map(l -> new String(l.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void give_linesBackInOrder_andNotAgainOnceCommitted_evenAfterReopening() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20)) {
            for (int k = 0; k < 5; k++) {
                assertThat(s.append(line(k))).isTrue();
            }
            Spool.Batch b = s.read(3);
            assertThat(text(b)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            assertThat(text(s.read(3))).as("nothing moves until commit").containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
            s.commit(b);
            assertThat(s.pendingLines()).isEqualTo(2);
        }
        try (Spool s = new Spool(dir, 1 << 20)) {
            assertThat(s.pendingLines()).isEqualTo(2);
            s.append(line(5));
            assertThat(text(s.read(10))).containsExactly("{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
        }
    }

    @Test
    void refuse_pastItsBound() throws Exception {
        try (Spool s = new Spool(dir, 20)) {
            assertThat(s.append(line(1))).isTrue();
            assertThat(s.append(line(2))).isTrue();
            assertThat(s.append(line(3))).as("8 bytes a line, 20 allowed").isFalse();
            s.commit(s.read(10));
            assertThat(s.append(line(3))).as("room again once the database has them").isTrue();
        }
    }

    @Test
    void rotate_aDrainedSegment_andDeleteTheOldOne() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20, 64)) {
            for (int k = 0; k < 20; k++) {
                s.append(line(k));
            }
            s.commit(s.read(100));
            s.append(line(99));
            assertThat(text(s.read(100))).containsExactly("{\"n\":99}");
            assertThat(segmentNames()).containsExactly("spool-0000000002.jsonl");
        }
    }

    @Test
    void positionThatDoesNotCheckOut_replaysFromTheOldestSegment_neverSkipsAhead() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20)) {
            for (int k = 0; k < 4; k++) {
                s.append(line(k));
            }
            s.commit(s.read(2));
        }
        String saved = Files.readString(dir.resolve("position"));
        Files.writeString(dir.resolve("position"), saved.replace(saved.substring(20, 39), "0000000000000009999"));
        try (Spool s = new Spool(dir, 1 << 20)) {
            assertThat(s.positionReset()).isTrue();
            assertThat(text(s.read(10))).as("replayed from the start: the store skips what it has")
                    .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        }
    }

    @Test
    void halfALineAtTheEndOfAnOlderSegment_comesBackAsNotWhole_andCountsAsRead() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20)) {
            s.append(line(1));
        }
        // a crash cut the second line short
        Files.write(Spool.segment(dir, 1), "{\"n\":2".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Spool s = new Spool(dir, 1 << 20)) {
            assertThat(s.pendingLines()).isEqualTo(1);
            s.append(line(3));
            Spool.Batch b = s.read(10);
            assertThat(b.lines()).extracting(Spool.Line::whole).containsExactly(true, false, true);
            assertThat(text(b)).containsExactly("{\"n\":1}", "{\"n\":2", "{\"n\":3}");
            s.commit(b);
            assertThat(s.pendingLines()).isZero();
            assertThat(s.pendingBytes()).isZero();
        }
    }

    @Test
    void quarantine_keepsTheBytes_withWhereAndWhy() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20)) {
            s.append("not json".getBytes(StandardCharsets.UTF_8));
            Spool.Batch b = s.read(1);
            s.quarantine(b.lines().getFirst(), "not a result row: Unrecognized token");
            s.commit(b);
        }
        String kept = Files.readString(dir.resolve("quarantine/spool-0000000001.bad"));
        assertThat(kept).isEqualTo("# offset 0 length 8 line: not a result row: Unrecognized token\nnot json\n");
        SpoolBacklog backlog = Spool.backlog(dir);
        assertThat(backlog.rows()).isZero();
        assertThat(backlog.quarantined()).isEqualTo(1);
    }

    @Test
    void backlog_isReadWithoutChangingTheSpool_andKnowsTheHighestSeq() throws Exception {
        Path spoolDir = dir.resolve("spool");
        try (Spool s = new Spool(spoolDir, 1 << 20)) {
            s.append("{\"type\":\"verdict\",\"seq\":41}".getBytes(StandardCharsets.UTF_8));
            s.append("{\"type\":\"verdict\",\"seq\":42}".getBytes(StandardCharsets.UTF_8));
            s.commit(s.read(1));
            s.append("{\"type\":\"image\",\"seq\":7}".getBytes(StandardCharsets.UTF_8));
        }
        List<String> before = segmentNames(spoolDir);
        SpoolBacklog b = SpoolBacklog.of(dir);
        assertThat(b.rows()).isEqualTo(2);
        assertThat(segmentNames(spoolDir)).isEqualTo(before);
        try (Spool s = new Spool(spoolDir, 1 << 20)) {
            assertThat(s.maxSeqAtOpen()).as("highest seq still on the spool").isEqualTo(42);
        }
    }

    @Test
    void seqOf_findsTheNumber_andIgnoresLinesWithoutOne() {
        byte[] row = "{\"late\":false,\"partId\":\"x\\\"seq\\\":9\",\"seq\":1234,\"n\":5}".getBytes(StandardCharsets.UTF_8);
        assertThat(Spool.seqOf(row, 0, row.length)).isEqualTo(1234);
        byte[] none = "{\"n\":5}".getBytes(StandardCharsets.UTF_8);
        assertThat(Spool.seqOf(none, 0, none.length)).isZero();
    }

    private List<String> segmentNames() throws Exception {
        return segmentNames(dir);
    }

    private static List<String> segmentNames(Path d) throws Exception {
        try (Stream<Path> files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("spool-")).sorted().toList();
        }
    }

    @Test
    void segmentRemovedByHand_doesNotLeaveTheCountersLookingForRows() throws Exception {
        try (Spool s = new Spool(dir, 1 << 20)) {
            s.append(line(1));
        }
        try (Spool s = new Spool(dir, 1 << 20)) {
            assertThat(s.pendingLines()).isEqualTo(1);
            Files.delete(Spool.segment(dir, 1));
            assertThat(s.read(10).isEmpty()).isTrue();
            assertThat(s.pendingLines()).isZero();
            assertThat(s.pendingBytes()).isZero();
            s.append(line(2));
            assertThat(text(s.read(10))).containsExactly("{\"n\":2}");
        }
    }
}
