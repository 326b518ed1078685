/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.result.Inspection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the HMI shows, at one moment: written whole by {@link HmiFeed} on the viewer-dispatch thread, read whole by
 * the FX thread. Immutable, so the two threads share nothing else.
 *
 * @param version  increases with each result seen; the screens redraw only when it changed
 * @param last     the part on screen (verdict tile, images, overlays), or null before the first: the latest part,
 *                 unless that one was imaged without a viewer copy (then the latest part that has one)
 * @param shots    the images of that same part, by shot (empty when it has none)
 * @param recent   the last verdicts seen, oldest first (true = pass)
 * @param rejects  the last rejected parts seen, newest first
 */
public record HmiState(long version, @Nullable Inspection last, Map<String, ShotImage> shots, List<Boolean> recent,
                       List<RejectedPart> rejects) {

    public static final HmiState EMPTY = new HmiState(0, null, Map.of(), List.of(), List.of());

    public HmiState {
        shots = Map.copyOf(shots);
        recent = List.copyOf(recent);
        rejects = List.copyOf(rejects);
    }

    /** One rejected part kept for the gallery: its inspection and a small copy of each shot taken when it was seen. */
    public record RejectedPart(Inspection inspection, Map<String, ShotImage> shots) {
        public RejectedPart {
            shots = Map.copyOf(shots);
        }
    }
}
