/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import io.linesight.station.archive.ImageFate;
import org.jspecify.annotations.Nullable;

/**
 * What became of a part's images, in the form it takes on the spool and in the {@code archive_images} table (one row
 * per part, the last word wins).
 *
 * @param state  {@code STORED}, {@code DROPPED} or {@code DELETED}
 * @param reason why it was dropped or deleted ({@link ImageFate.Reason}), empty when stored
 */
public record ImageRecord(String line, String station, String partId, long seq, String state, String reason,
                          @Nullable String folder, String detail, long atMs) implements SpoolRecord {

    public static ImageRecord of(ImageFate f, String line, String station) {
        return new ImageRecord(line, station, f.partId(), f.seq(), f.state().name(),
                f.reason() == ImageFate.Reason.NONE ? "" : f.reason().name(), f.folder(), f.detail(), f.at().toEpochMilli());
    }
}
