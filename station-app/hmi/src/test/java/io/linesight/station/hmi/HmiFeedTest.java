/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.RuleResult;
import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.overlay.Overlay;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.fanout.LatestImages;
import io.linesight.station.result.Inspection;
import io.linesight.station.result.Timings;
import io.linesight.station.part.Part;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HMI's state holder, fed directly as the viewer-dispatch thread would (no display needed). */
class HmiFeedTest {

    private static Inspection part(int n, boolean pass) {
        Verdict v = pass ? new Verdict.Pass(Map.of())
                : Verdict.Reject.of(ReasonCode.RULE_FAILED, "hole-count", "found " + n);
        return new Inspection(new Part("p" + n, n, Instant.EPOCH, n + 1), n, "bracket@1", "", v, List.of(), List.of(),
                List.of(), Instant.EPOCH, Timings.NONE, null);
    }

    @Test
    void keepsTheLastTwentyVerdictsOldestFirst_andTheLast24RejectsNewestFirst() {
        HmiFeed feed = new HmiFeed();
        for (int n = 1; n <= 90; n++) {
            feed.onResult(part(n, n % 3 != 0), null);
        }
        HmiState s = feed.state();
        assertThat(s.version()).isEqualTo(90);
        assertThat(s.last()).isNotNull();
        assertThat(s.last().part().partId()).isEqualTo("p90");
        assertThat(s.recent()).hasSize(HmiFeed.RECENT);
        // parts 71..90: every third (72, 75, …, 90) rejected
        for (int i = 0; i < s.recent().size(); i++) {
            assertThat(s.recent().get(i)).as("part %d", 71 + i).isEqualTo((71 + i) % 3 != 0);
        }
        assertThat(s.rejects()).hasSize(HmiFeed.REJECTS);
        assertThat(s.rejects().getFirst().inspection().part().partId()).isEqualTo("p90");
        assertThat(s.rejects().getLast().inspection().part().partId()).isEqualTo("p21");
        assertThat(s.rejects().getFirst().inspection().verdict().reasons().getFirst().source()).isEqualTo("hole-count");
    }

    /** A part that was inspected from images (it has rule results). */
    private static Inspection imaged(int n, boolean pass) {
        Inspection i = part(n, pass);
        RuleResult r = new RuleResult("hole", "bright", pass, ReasonCode.RULE_FAILED, "", List.of(),
                List.of(new Overlay.Box(1, 1, 5, 5, pass, "hole")), 0);
        return new Inspection(i.part(), i.seq(), i.recipe(), i.model(), i.verdict(), List.of(r), List.of(), List.of(),
                i.decidedAt(), i.timings(), null);
    }

    private static LatestImages.PartImages imagesOf(Inspection i) {
        String id = i.part().partId();
        return new LatestImages.PartImages(id, Map.of("bright", new LatestImages.Image("bright", "top", id, 4, 2,
                new byte[8], 8, 4)));
    }

    @Test
    void imagedPartWithoutViewerCopy_leavesTheShownPartWithItsOwnImages_butCountsInTheStrip() {
        HmiFeed feed = new HmiFeed();
        Inspection first = imaged(1, true);
        feed.onResult(first, imagesOf(first));
        feed.onResult(imaged(2, false), null); // decided too soon after the last copy: no images of its own

        HmiState s = feed.state();
        assertThat(s.last().part().partId()).isEqualTo("p1");
        assertThat(s.shots().values()).extracting(ShotImage::partId).containsOnly("p1");
        assertThat(s.recent()).containsExactly(true, false);
        assertThat(s.rejects()).singleElement().satisfies(r -> {
            assertThat(r.inspection().part().partId()).isEqualTo("p2");
            assertThat(r.shots()).isEmpty();
        });
    }

    @Test
    void partWithItsImages_replacesTheShownPart_tileAndImagesTogether() {
        HmiFeed feed = new HmiFeed();
        Inspection first = imaged(1, true);
        Inspection second = imaged(2, false);
        feed.onResult(first, imagesOf(first));
        feed.onResult(second, imagesOf(second));

        HmiState s = feed.state();
        assertThat(s.last().part().partId()).isEqualTo("p2");
        assertThat(s.shots().values()).extracting(ShotImage::partId).containsOnly("p2");
        assertThat(s.shots().get("bright").scale()).isEqualTo(0.5);
    }

    @Test
    void partNeverImaged_isShownWithoutImages_notWithTheImagesOfTheOneBefore() {
        HmiFeed feed = new HmiFeed();
        Inspection first = imaged(1, true);
        feed.onResult(first, imagesOf(first));
        feed.onResult(part(2, false), null); // e.g. OVERLOAD: rejected before any image

        HmiState s = feed.state();
        assertThat(s.last().part().partId()).isEqualTo("p2");
        assertThat(s.shots()).isEmpty();
    }

    @Test
    void remoteImagesOfAnotherPart_areNotShownWithThePartOnScreen() {
        HmiFeed feed = new HmiFeed();
        Inspection first = imaged(1, true);
        feed.onRemotePart(first, Map.of());
        feed.onRemoteImages(Map.of("bright", new ShotImage("bright", "p0", 4, 2, new byte[8], 8, 4)));
        assertThat(feed.state().shots()).isEmpty();
        feed.onRemoteImages(Map.of("bright", new ShotImage("bright", "p1", 4, 2, new byte[8], 8, 4)));
        assertThat(feed.state().last().part().partId()).isEqualTo("p1");
        assertThat(feed.state().shots().values()).extracting(ShotImage::partId).containsOnly("p1");
    }

    @Test
    void beforeAnyResult_stateIsEmpty() {
        assertThat(new HmiFeed().state()).isSameAs(HmiState.EMPTY);
    }
}
