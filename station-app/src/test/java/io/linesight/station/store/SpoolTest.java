/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return b.lines().stream().map(l -> new String(l, StandardCharsets.UTF_8)).toList();
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
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("spool-")))
                        .containsExactly("spool-0000000002.jsonl");
            }
        }
    }
}
