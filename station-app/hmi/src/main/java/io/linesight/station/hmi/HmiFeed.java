/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.fanout.LatestImages;
import io.linesight.station.fanout.ResultListener;
import io.linesight.station.result.Inspection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HMI's only link to the pipeline: a {@link ResultListener} that copies what the screens need into an immutable
 * {@link HmiState} and publishes it through one volatile field (latest wins). Runs on the viewer-dispatch thread,
 * never on the inspection path (or, for a remote station, on its MQTT callback thread: one writer either way); the
 * FX thread only reads {@link #state()}.
 */
public final class HmiFeed implements ResultListener {
    static final int RECENT = 20;
    static final int REJECTS = 24;

    // touched only by the viewer-dispatch thread
    private final ArrayDeque<Boolean> recent = new ArrayDeque<>();
    private final ArrayDeque<HmiState.RejectedPart> rejects = new ArrayDeque<>();
    private long version;
    private @Nullable Inspection shown;
    private Map<String, ShotImage> shownShots = Map.of();

    private volatile HmiState state = HmiState.EMPTY;

    /**
     * The screen shows one part at a time: the verdict tile, the images and their overlays always belong to the same
     * part. A part that was imaged but whose images were not copied (decided sooner after the last copy than the copy
     * rate allows) does not replace the part on screen; it still counts in the strip of recent verdicts and, when
     * rejected, in the gallery. A part that was never imaged (a TIMEOUT, an OVERLOAD, a missing frame) is shown with
     * no images: there are none of it.
     */
    @Override
    public void onResult(Inspection latest, LatestImages.@Nullable PartImages images) {
        Map<String, ShotImage> own = new HashMap<>();
        if (images != null && images.partId().equals(latest.part().partId())) {
            images.shots().forEach((shot, img) -> own.put(shot, ShotImage.of(img))); // shared, never written again
        }
        accept(latest, own, imaged(latest) && own.isEmpty());
    }

    /**
     * A part seen by a remote station ({@link io.linesight.station.hmi.remote.RemoteStation}): as {@link #onResult},
     * with the images received so far; only those of this part are shown with it. One thread (the remote view's MQTT
     * callback thread).
     */
    public void onRemotePart(Inspection latest, Map<String, ShotImage> shots) {
        Map<String, ShotImage> own = new HashMap<>();
        shots.forEach((shot, img) -> {
            if (img.partId().equals(latest.part().partId())) {
                own.put(shot, img);
            }
        });
        accept(latest, own, imaged(latest) && own.isEmpty());
    }

    /**
     * Images from a remote station (they come apart from the part): the part on screen and rejected parts in the
     * gallery get those of their own that they were missing; images of any other part are not shown. Same thread as
     * {@link #onRemotePart}.
     */
    public void onRemoteImages(Map<String, ShotImage> shots) {
        List<HmiState.RejectedPart> updated = new ArrayList<>(rejects);
        for (int k = 0; k < updated.size(); k++) {
            HmiState.RejectedPart r = updated.get(k);
            Map<String, ShotImage> own = new HashMap<>(r.shots());
            shots.forEach((shot, img) -> {
                if (img.partId().equals(r.inspection().part().partId())) {
                    own.putIfAbsent(shot, img);
                }
            });
            if (own.size() != r.shots().size()) {
                updated.set(k, new HmiState.RejectedPart(r.inspection(), own));
            }
        }
        rejects.clear();
        rejects.addAll(updated);
        Inspection on = shown;
        if (on != null) {
            Map<String, ShotImage> own = new HashMap<>(shownShots);
            shots.forEach((shot, img) -> {
                if (img.partId().equals(on.part().partId())) {
                    own.put(shot, img);
                }
            });
            shownShots = own;
        }
        state = new HmiState(++version, shown, shownShots, new ArrayList<>(recent), List.copyOf(rejects));
    }

    /** Whether the part was inspected from images (else it was rejected before any image was taken or used). */
    private static boolean imaged(Inspection i) {
        return !i.rules().isEmpty() || !i.detections().isEmpty() || !i.anomalies().isEmpty();
    }

    private void accept(Inspection latest, Map<String, ShotImage> own, boolean keepShown) {
        recent.addLast(latest.verdict().passed());
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
        if (!latest.verdict().passed()) {
            rejects.addFirst(new HmiState.RejectedPart(latest, own));
            while (rejects.size() > REJECTS) {
                rejects.removeLast();
            }
        }
        if (!keepShown || shown == null) {
            shown = latest;
            shownShots = Map.copyOf(own);
        }
        state = new HmiState(++version, shown, shownShots, new ArrayList<>(recent), List.copyOf(rejects));
    }

    /** The latest state; any thread. */
    public HmiState state() {
        return state;
    }
}
