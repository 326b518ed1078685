/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.acquire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pairing announced parts with hardware-triggered frames by trigger time. A frame here is the id of the part that was
 * really under the camera, so a wrong pairing shows as a part completed with another part's frame.
 */
class TriggerMatcherTest {
    static final long MS = 1_000_000L;

    /** What the matcher decided, by part. */
    static final class Outcomes implements TriggerMatcher.Events<String, String> {
        final Map<String, Map<String, String>> complete = new HashMap<>();
        final Map<String, String> missing = new HashMap<>();
        final List<String> unannounced = new ArrayList<>();
        int decisions;

        @Override
        public void complete(String part, Map<String, String> frames) {
            decisions++;
            complete.put(part, Map.copyOf(frames));
        }

        @Override
        public void missing(String part, String camera, String why, Map<String, String> partial) {
            decisions++;
            missing.put(part, camera + ": " + why);
        }

        @Override
        public void unannounced(String camera, String frame, String why) {
            unannounced.add(camera + ":" + frame);
        }
    }

    static TriggerMatcher<String, String> matcher(Outcomes o, String... cameras) {
        return new TriggerMatcher<>(List.of(cameras), 5 * MS, 200 * MS, 50 * MS, 64, o);
    }

    @Test
    void aLostTrigger_rejectsThatPartOnly_theNextPartKeepsItsOwnFrame() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        m.announce("P1", 0, 0);
        m.frame("top", "P1", 1 * MS, 2 * MS);
        m.announce("P2", 20 * MS, 20 * MS);               // the camera never saw this trigger
        m.announce("P3", 40 * MS, 40 * MS);
        m.frame("top", "P3", 41 * MS, 43 * MS);

        assertThat(o.complete).containsOnlyKeys("P1", "P3");
        assertThat(o.complete.get("P3")).containsEntry("top", "P3");
        assertThat(o.missing).containsOnlyKeys("P2");
        assertThat(o.missing.get("P2")).startsWith("top: no frame from camera top for this trigger");
    }

    @Test
    void anExtraFrame_isDroppedAsUnannounced_andShiftsNothing() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        m.announce("P1", 0, 0);
        m.frame("top", "P1", 0, 1 * MS);
        m.frame("top", "ghost", 10 * MS, 11 * MS);        // a double-fired photo-eye
        m.announce("P2", 20 * MS, 20 * MS);
        m.frame("top", "P2", 21 * MS, 22 * MS);
        m.tick(200 * MS);

        assertThat(o.complete).containsOnlyKeys("P1", "P2");
        assertThat(o.complete.get("P2")).containsEntry("top", "P2");
        assertThat(o.unannounced).containsExactly("top:ghost");
        assertThat(o.missing).isEmpty();
    }

    @Test
    void anExtraAnnouncement_getsMissingAfterTheFrameWait_andShiftsNothing() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        m.announce("P1", 0, 0);
        m.announce("spurious", 10 * MS, 10 * MS);
        m.frame("top", "P1", 1 * MS, 12 * MS);
        m.tick(150 * MS);
        assertThat(o.missing).isEmpty();
        m.tick(211 * MS);

        assertThat(o.complete).containsOnlyKeys("P1");
        assertThat(o.missing.get("spurious")).contains("no frame from camera top within 200 ms");
    }

    @Test
    void aFrameBeforeItsAnnouncement_waitsForIt() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        m.frame("top", "P1", 0, 1 * MS);                  // the line edge beat the PLC's message
        m.announce("P1", 1 * MS, 30 * MS);                // announced late, with the time it fired

        assertThat(o.complete).containsOnlyKeys("P1");
        assertThat(o.unannounced).isEmpty();
    }

    @Test
    void twoCameras_aPartNeedsBoth_andOneSkippingATrigger_namesThatCamera() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top", "side");
        m.announce("P1", 0, 0);
        m.frame("top", "P1", 0, 1 * MS);
        assertThat(o.complete).isEmpty();
        m.frame("side", "P1", 1 * MS, 2 * MS);
        m.announce("P2", 20 * MS, 20 * MS);
        m.frame("top", "P2", 20 * MS, 21 * MS);
        m.announce("P3", 40 * MS, 40 * MS);
        m.frame("top", "P3", 40 * MS, 41 * MS);
        m.frame("side", "P3", 41 * MS, 42 * MS);          // side skipped P2's trigger

        assertThat(o.complete).containsOnlyKeys("P1", "P3");
        assertThat(o.complete.get("P3")).containsEntry("top", "P3").containsEntry("side", "P3");
        assertThat(o.missing.get("P2")).startsWith("side: ");
    }

    @Test
    void triggersCloserThanTheTolerance_withAFrameMissing_areRejectedAsAmbiguous_notGuessed() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        m.announce("P1", 0, 0);
        m.announce("P2", 2 * MS, 2 * MS);                 // 2 ms apart: within the 5 ms tolerance
        m.frame("top", "P2", 2 * MS, 3 * MS);             // P1's frame never came: which part is this frame?

        assertThat(o.complete).isEmpty();
        assertThat(o.missing).containsOnlyKeys("P1", "P2");
        assertThat(o.missing.get("P1")).contains("ambiguous");
        assertThat(o.unannounced).containsExactly("top:P2");
    }

    @Test
    void twoFramesNearOneAnnouncement_areNotGuessedAtEither() {
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        m.frame("top", "X", 0, 1 * MS);
        m.frame("top", "Y", 3 * MS, 4 * MS);
        m.announce("P1", 1 * MS, 5 * MS);

        assertThat(o.complete).isEmpty();
        assertThat(o.missing.get("P1")).contains("ambiguous: 2 frames");
        assertThat(o.unannounced).containsExactlyInAnyOrder("top:X", "top:Y");
    }

    @Test
    void aLongRunWithLostTriggersAndSpuriousMessages_neverPairsAFrameWithAnotherPart() {
        Random rnd = new Random(7);
        Outcomes o = new Outcomes();
        TriggerMatcher<String, String> m = matcher(o, "top");
        int parts = 10_000;
        long period = 20 * MS;
        long now = 0;
        int lost = 0;
        for (int i = 0; i < parts; i++) {
            long edge = i * period;
            long announceJitter = rnd.nextInt(3) * MS;    // the announcement carries its firing time; arrival varies
            long frameJitter = rnd.nextInt(4) * MS;
            String id = "P" + i;
            boolean announceFirst = rnd.nextBoolean();
            if (announceFirst) {
                now = Math.max(now, edge + announceJitter);
                m.announce(id, edge, now);
            }
            if (i % 50 == 49) {
                lost++;                                     // the camera drops one trigger in 50
            } else {
                now = Math.max(now, edge + frameJitter + 2 * MS);
                m.frame("top", id, edge + frameJitter, now);
            }
            if (!announceFirst) {
                now = Math.max(now, edge + announceJitter + 3 * MS);
                m.announce(id, edge, now);
            }
            if (rnd.nextInt(100) == 0) {
                now += 1 * MS;
                m.frame("top", "ghost-" + i, edge + 7 * MS, now);  // a spurious frame between two parts
            }
            if (rnd.nextInt(100) == 0) {
                m.announce("extra-" + i, edge + 14 * MS, now);      // a spurious announcement between two parts
            }
        }
        m.tick(now + 1_000 * MS);

        o.complete.forEach((part, frames) -> assertThat(frames.get("top")).as("frame of " + part).isEqualTo(part));
        assertThat(o.complete).hasSize(parts - lost);
        assertThat(o.missing.keySet().stream().filter(k -> k.startsWith("P"))).hasSize(lost);
        assertThat(o.missing.keySet()).allMatch(k -> k.startsWith("extra-") || Integer.parseInt(k.substring(1)) % 50 == 49);
        assertThat(o.unannounced).allMatch(f -> f.startsWith("top:ghost-"));
        assertThat(m.pending()).isZero();
        assertThat(m.orphans()).isZero();
    }
}
