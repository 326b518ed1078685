/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a station's results spool holds that is not in the database, read by the offline tools ({@code station
 * report}, {@code station archive}) without touching the spool (the station may be writing it).
 *
 * @param rows        results waiting for the database (replaying, or the database is unavailable)
 * @param bytes       their size on disk
 * @param quarantined spool lines that could not be read as results, kept under {@code spool/quarantine/}
 * @param refused     rows the database refused for what they contain, kept in {@code spool/rejected.jsonl}
 */
public record SpoolBacklog(long rows, long bytes, long quarantined, long refused) {
    public static final SpoolBacklog NONE = new SpoolBacklog(0, 0, 0, 0);

    /** Reads the spool folder of a data directory ({@code <dataDir>/spool}); NONE when there is none. */
    public static SpoolBacklog of(Path dataDir) throws IOException {
        return Spool.backlog(dataDir.resolve("spool"));
    }

    /** Whether anything is waiting or was set aside. */
    public boolean any() {
        return rows > 0 || quarantined > 0 || refused > 0;
    }
}
