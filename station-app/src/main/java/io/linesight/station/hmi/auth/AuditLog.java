/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The HMI's audit trail: one JSON object a line in {@code <dataDir>/audit.log} (who, when, what, on what, before and
 * after), appended and forced to disk before the action counts as done.
 *
 * <p>A file and not the results store's {@code audit} table because the store does not expose a write for it yet;
 * the fields are the table's columns, so moving it there is a change of this class only.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Clock clock;

    /** One audit record, as read back. */
    public record Entry(String at, String who, String action, String subject, @Nullable String before,
                        @Nullable String after) {
    }

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public static AuditLog in(Path dataDir) {
        return new AuditLog(dataDir.resolve("audit.log"), Clock.systemUTC());
    }

    /** Appends a record; synchronized because the FX thread and preview workers may both audit. */
    public synchronized void record(String who, String action, String subject, @Nullable String before,
                                    @Nullable String after) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", clock.instant().toString());
        n.put("who", who);
        n.put("action", action);
        n.put("subject", subject);
        n.put("before", before);
        n.put("after", after);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, n + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit trail " + file, e);
        }
    }

    public synchronized List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readValue(line, Entry.class));
            }
        }
        return out;
    }

    public Path file() {
        return file;
    }
}
