/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.station.archive.ImageArchive;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the station keeps and what it could not, as rows of the HMI's Diagnostics screen (and of the remote HMI's
 * status): the results database, its spool and replay, results set aside, images archived and not archived by reason.
 */
public final class ResultsHealth {
    private ResultsHealth() {
    }

    /** Row name → value, in display order. */
    public static Map<String, String> rows(StoreWriter.Status s, ImageArchive.Counts a, @Nullable String pauseReason) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("results database", s.failing() ? "UNAVAILABLE" + (s.error() == null ? "" : ": " + s.error())
                : s.opened() ? "ok" : "not reached yet");
        rows.put("results on the spool", s.replaying()
                ? String.format(Locale.ROOT, "%d (replaying what the last run left: %d of %d)", s.spooled(),
                        s.replayDone(), s.replayTotal())
                : Long.toString(s.spooled()) + (s.inMemory() > 0 ? " + " + s.inMemory() + " in memory (spool full)" : ""));
        rows.put("results not in the database", s.lost() + s.quarantined() + s.refused() == 0 ? "none"
                : String.format(Locale.ROOT, "%d lost, %d quarantined, %d refused", s.lost(), s.quarantined(),
                        s.refused()));
        rows.put("images archived", Long.toString(a.stored()));
        rows.put("images not archived", a.dropped() == 0 ? "none" : a.dropped() + " (" + a.droppedByReason() + ")");
        rows.put("archive queue", String.format(Locale.ROOT, "%.1f of %.0f MiB%s", a.queueBytes() / 1048576.0,
                a.queueMaxBytes() / 1048576.0, pauseReason == null ? "" : "; PAUSED: " + pauseReason));
        rows.put("images deleted by housekeeping", Long.toString(a.deleted()));
        return rows;
    }
}
