/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The birth/death sequence number, 0–255, one per MQTT session: NBIRTH and the NDEATH will of the same session carry
 * the same value, and the next session (a reconnect or a restart) the next one. Kept in a small file so a host can
 * tell a new session from a late death of the old one across restarts. Not thread-safe: the node's thread owns it.
 */
final class BdSeqFile {
    private final Path file;

    BdSeqFile(Path file) {
        this.file = file;
    }

    /** The bdSeq for a new session, written to the file before it is used; 0 when there was no earlier one. */
    long next() throws IOException {
        long next = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                next = (Long.parseLong(text) + 1) & 0xFF;
            } catch (NumberFormatException e) {
                throw new IOException(file + ": bdSeq file holds '" + text + "', not a number", e);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(next), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return next;
    }
}
