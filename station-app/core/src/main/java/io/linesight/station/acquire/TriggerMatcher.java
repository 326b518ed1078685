/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairs announced parts with the frames their line trigger fired, by time: a frame belongs to the part whose
 * trigger time lies within {@code tolerance} of the frame's trigger time, on every camera the part needs. Matching by
 * time instead of by order is what keeps a lost trigger, an extra frame or an extra announcement from moving every
 * later verdict onto the wrong part: the part whose frame is missing is reported missing, the next part keeps its
 * own frame.
 *
 * <ul>
 * <li>A part whose frame has not come {@code frameWait} after its trigger is missing on that camera.</li>
 * <li>A frame from a camera that belongs to a later trigger than a waiting part's shows that the camera skipped the
 * waiting part: it is missing at once (frames of one camera arrive in trigger order).</li>
 * <li>A frame no announced part claims waits {@code announceWait} for its announcement (the PLC's message may come
 * after the frame), then it is unannounced and dropped.</li>
 * <li>Triggers closer together than the tolerance cannot be told apart once a frame is missing: a frame or an
 * announcement that could belong to two of them is not guessed at. The parts it could belong to are missing
 * ("ambiguous") and the frame is dropped. Keep the tolerance below half the time between two parts.</li>
 * </ul>
 *
 * <p>Pure logic with the clock passed in; not thread-safe: one thread (the hardware lane) owns it. Times are
 * {@link System#nanoTime()} values.
 *
 * @param <P> the part (the lane's open ticket)
 * @param <F> the frame
 */
final class TriggerMatcher<P, F> {

    /** What the matcher decides; called on the owning thread from inside the call that decided it. */
    interface Events<P, F> {
        /** Every camera delivered its frame for the part. */
        void complete(P part, Map<String, F> frames);

        /** The part will get no frame from {@code camera}; {@code partial} holds the frames it did get. */
        void missing(P part, String camera, String why, Map<String, F> partial);

        /** No announced part claims the frame. */
        void unannounced(String camera, F frame, String why);
    }

    private final class Pending {
        final P part;
        final long edge;
        final Map<String, F> frames = new LinkedHashMap<>();

        Pending(P part, long edge) {
            this.part = part;
            this.edge = edge;
        }

        boolean complete() {
            return frames.size() == cameras.size();
        }
    }

    private record Orphan<F>(F frame, long edge, long arrived) {
    }

    private final List<String> cameras;
    private final long tolerance;
    private final long frameWait;
    private final long announceWait;
    private final int maxOrphans;
    private final Events<P, F> events;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Deque<Orphan<F>>> orphans = new HashMap<>();

    /**
     * @param cameras      the cameras every part needs one frame from
     * @param tolerance    largest difference between a part's trigger time and its frames' trigger times
     * @param frameWait    how long after its trigger a part waits for its frames
     * @param announceWait how long a frame waits for its part to be announced
     * @param maxOrphans   frames per camera kept waiting for an announcement; the oldest is dropped past it
     */
    TriggerMatcher(List<String> cameras, long tolerance, long frameWait, long announceWait, int maxOrphans,
                   Events<P, F> events) {
        this.cameras = List.copyOf(cameras);
        this.tolerance = tolerance;
        this.frameWait = frameWait;
        this.announceWait = announceWait;
        this.maxOrphans = maxOrphans;
        this.events = events;
        this.cameras.forEach(c -> orphans.put(c, new ArrayDeque<>()));
    }

    /** A part was announced with the time its trigger fired. */
    void announce(P part, long edge, long now) {
        Pending p = new Pending(part, edge);
        int at = pending.size();
        while (at > 0 && pending.get(at - 1).edge > edge) {
            at--;
        }
        pending.add(at, p);
        for (String camera : cameras) {
            Deque<Orphan<F>> waiting = java.util.Objects.requireNonNull(orphans.get(camera), camera);
            List<Orphan<F>> near = waiting.stream().filter(o -> Math.abs(o.edge() - edge) <= tolerance).toList();
            if (near.size() > 1) {
                pending.remove(p);
                near.forEach(o -> {
                    waiting.remove(o);
                    events.unannounced(camera, o.frame(), "two frames within the match tolerance of one announcement");
                });
                events.missing(p.part, camera, String.format(Locale.ROOT, "ambiguous: %d frames from camera %s within "
                        + "%.1f ms of this trigger", near.size(), camera, tolerance / 1e6), p.frames);
                tick(now);
                return;
            }
            if (near.size() == 1) {
                waiting.remove(near.getFirst());
                p.frames.put(camera, near.getFirst().frame());
            }
        }
        if (p.complete()) {
            pending.remove(p);
            events.complete(p.part, p.frames);
        }
        tick(now);
    }

    /** A frame arrived from {@code camera}; {@code edge} is the time its trigger fired. */
    void frame(String camera, F frame, long edge, long now) {
        Iterator<Pending> it = pending.iterator();
        List<Pending> near = new ArrayList<>();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.frames.containsKey(camera)) {
                continue;
            }
            if (p.edge < edge - tolerance) {
                it.remove();
                events.missing(p.part, camera, String.format(Locale.ROOT, "no frame from camera %s for this trigger: "
                        + "its next frame belongs to a trigger %.1f ms later", camera, (edge - p.edge) / 1e6), p.frames);
                continue;
            }
            if (p.edge > edge + tolerance) {
                break;
            }
            near.add(p);
        }
        if (near.size() > 1) {
            // two triggers within the tolerance and one frame: which part it shows cannot be told
            for (Pending p : near) {
                pending.remove(p);
                events.missing(p.part, camera, String.format(Locale.ROOT, "ambiguous: %d triggers within %.1f ms of "
                        + "one frame from camera %s", near.size(), tolerance / 1e6, camera), p.frames);
            }
            events.unannounced(camera, frame, "could belong to " + near.size() + " announced parts");
            tick(now);
            return;
        }
        Pending match = near.isEmpty() ? null : near.getFirst();
        if (match != null) {
            match.frames.put(camera, frame);
            if (match.complete()) {
                pending.remove(match);
                events.complete(match.part, match.frames);
            }
        } else {
            Deque<Orphan<F>> waiting = java.util.Objects.requireNonNull(orphans.get(camera), camera);
            waiting.addLast(new Orphan<>(frame, edge, now));
            if (waiting.size() > maxOrphans) {
                events.unannounced(camera, waiting.pollFirst().frame(), "too many frames without an announced part");
            }
        }
        tick(now);
    }

    /** Ends the waits that are over. Call at least every few milliseconds. */
    void tick(long now) {
        for (Map.Entry<String, Deque<Orphan<F>>> e : orphans.entrySet()) {
            Deque<Orphan<F>> waiting = e.getValue();
            while (!waiting.isEmpty() && now - waiting.peekFirst().arrived() > announceWait) {
                events.unannounced(e.getKey(), waiting.pollFirst().frame(), String.format(Locale.ROOT,
                        "no part announced within %.0f ms of its trigger", announceWait / 1e6));
            }
        }
        Iterator<Pending> it = pending.iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (now - p.edge > frameWait) {
                it.remove();
                String camera = cameras.stream().filter(c -> !p.frames.containsKey(c)).findFirst().orElseThrow();
                events.missing(p.part, camera, String.format(Locale.ROOT, "no frame from camera %s within %.0f ms of "
                        + "the trigger", camera, frameWait / 1e6), p.frames);
            }
        }
    }

    /** Announced parts still waiting for frames. */
    int pending() {
        return pending.size();
    }

    /** Frames waiting for an announcement, all cameras. */
    int orphans() {
        return orphans.values().stream().mapToInt(Deque::size).sum();
    }

    /** Gives every waiting part and frame back, with {@code why} (station stopping, recipe changed). */
    void drain(Events<P, F> to, String why) {
        for (Pending p : pending) {
            String camera = cameras.stream().filter(c -> !p.frames.containsKey(c)).findFirst().orElseThrow();
            to.missing(p.part, camera, why, p.frames);
        }
        pending.clear();
        orphans.forEach((camera, waiting) -> waiting.forEach(o -> to.unannounced(camera, o.frame(), why)));
        orphans.values().forEach(Deque::clear);
    }
}
