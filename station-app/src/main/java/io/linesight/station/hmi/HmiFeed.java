/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.fanout.LatestImages;
import io.linesight.station.fanout.ResultListener;
import io.linesight.station.inspect.Inspection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HMI's only link to the pipeline: a {@link ResultListener} that copies what the screens need into an immutable
 * {@link HmiState} and publishes it through one volatile field (latest wins). Runs on the viewer-dispatch thread,
 * never on the inspection path (or, for a remote station, on its MQTT callback thread: one writer either way); the
 * FX thread only reads {@link #state()}.
 */
public final class HmiFeed implements ResultListener {
    static final int RECENT = 20;
    static final int REJECTS = 24;
    /** Production images are shown at most this large; the frame's full size is not needed on a screen. */
    static final int LIVE_MAX_SIDE = 960;
    static final int REJECT_MAX_SIDE = 640;

    // touched only by the viewer-dispatch thread
    private final ArrayDeque<Boolean> recent = new ArrayDeque<>();
    private final ArrayDeque<HmiState.RejectedPart> rejects = new ArrayDeque<>();
    private long version;

    private volatile HmiState state = HmiState.EMPTY;

    @Override
    public void onResult(Inspection latest, LatestImages images) {
        Map<String, ShotImage> shots = new HashMap<>();
        Map<String, ShotImage> ofThisPart = new HashMap<>();
        images.all().forEach((shot, img) -> {
            shots.put(shot, ShotImage.downscaledCopy(img, LIVE_MAX_SIDE));
            if (img.partId().equals(latest.part().partId()) && !latest.verdict().passed()) {
                ofThisPart.put(shot, ShotImage.downscaledCopy(img, REJECT_MAX_SIDE));
            }
        });
        accept(latest, shots, ofThisPart);
    }

    /**
     * A part seen by a remote station ({@link io.linesight.station.hmi.remote.RemoteStation}): as {@link #onResult},
     * with the images as received so far. One thread (the remote view's MQTT callback thread).
     */
    public void onRemotePart(Inspection latest, Map<String, ShotImage> shots) {
        Map<String, ShotImage> ofThisPart = new HashMap<>();
        shots.forEach((shot, img) -> {
            if (img.partId().equals(latest.part().partId()) && !latest.verdict().passed()) {
                ofThisPart.put(shot, img);
            }
        });
        accept(latest, shots, ofThisPart);
    }

    /**
     * Newer images from a remote station (they come apart from the part, rate-limited): the live view shows them,
     * and a rejected part in the gallery gets the images of its own that it was missing. Same thread as
     * {@link #onRemotePart}.
     */
    public void onRemoteImages(Map<String, ShotImage> shots) {
        HmiState s = state;
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
        state = new HmiState(++version, s.last(), shots, s.recent(), List.copyOf(rejects));
    }

    private void accept(Inspection latest, Map<String, ShotImage> shots, Map<String, ShotImage> ofThisPart) {
        recent.addLast(latest.verdict().passed());
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
        if (!latest.verdict().passed()) {
            rejects.addFirst(new HmiState.RejectedPart(latest, ofThisPart));
            while (rejects.size() > REJECTS) {
                rejects.removeLast();
            }
        }
        state = new HmiState(++version, latest, shots, new ArrayList<>(recent), List.copyOf(rejects));
    }

    /** The latest state; any thread. */
    public HmiState state() {
        return state;
    }
}
