/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BdSeqFileTest {
    @TempDir
    Path dir;

    @Test
    void startsAtZero_countsPerSession_survivesReopening_andWrapsAfter255() throws IOException {
        Path file = dir.resolve("data/sparkplug-bdseq");
        assertThat(new BdSeqFile(file).next()).isZero();
        assertThat(new BdSeqFile(file).next()).isEqualTo(1);
        Files.writeString(file, "255");
        assertThat(new BdSeqFile(file).next()).isZero();
    }

    @Test
    void aDamagedFile_isRefusedNamingIt() throws IOException {
        Path file = dir.resolve("sparkplug-bdseq");
        Files.writeString(file, "x7");
        assertThatThrownBy(() -> new BdSeqFile(file).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("sparkplug-bdseq").hasMessageContaining("x7");
    }
}
