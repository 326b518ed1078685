/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What became of one part's images: the archive says so once, when it knows (and again when housekeeping deletes
 * them), and the results store keeps the last word per part.
 *
 * @param folder where the files are (or were), relative to the archive root; null when nothing was written
 * @param detail a human sentence for the record: the I/O error, the free space, the queue's size
 */
public record ImageFate(String partId, long seq, State state, Reason reason, @Nullable String folder, String detail,
                        Instant at) {

    public enum State {
        /** every file of the part is on disk and forced (file and folder) */
        STORED,
        /** not written; {@link Reason} says why */
        DROPPED,
        /** written, then deleted by housekeeping */
        DELETED
    }

    public enum Reason {
        NONE,
        /** the archive's queue was over its byte bound: the oldest waiting part made room */
        QUEUE_FULL,
        /** the disk was full or under the archive's reserve (the archive pauses until there is room) */
        DISK_FULL,
        /** writing failed for another reason (named in the detail) */
        IO_ERROR,
        /** the station stopped before the part's turn came within the archive's drain time */
        SHUTDOWN,
        /** older than the retention */
        RETENTION,
        /** the oldest parts went to keep the archive under its quota */
        QUOTA;

        /** How a person reads it. */
        public String words() {
            return switch (this) {
                case NONE -> "";
                case QUEUE_FULL -> "archive queue full";
                case DISK_FULL -> "disk full";
                case IO_ERROR -> "I/O error";
                case SHUTDOWN -> "station stopping";
                case RETENTION -> "retention";
                case QUOTA -> "archive quota";
            };
        }
    }

    /** Receives fates; called on the archive's thread (or the closing thread), must not block for long. */
    @FunctionalInterface
    public interface Sink {
        void record(ImageFate fate);

        Sink NONE = fate -> { };
    }

    static ImageFate stored(String partId, long seq, String folder, Instant at) {
        return new ImageFate(partId, seq, State.STORED, Reason.NONE, folder, "", at);
    }

    static ImageFate dropped(String partId, long seq, Reason why, String detail, Instant at) {
        return new ImageFate(partId, seq, State.DROPPED, why, null, detail, at);
    }

    static ImageFate deleted(String partId, long seq, Reason why, String folder, Instant at) {
        return new ImageFate(partId, seq, State.DELETED, why, folder, "", at);
    }
}
