/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.rules.judge.ReasonCode;
import io.linesight.rules.judge.Verdict;
import io.linesight.station.fanout.LatestImages;
import io.linesight.station.inspect.Inspection;
import io.linesight.station.inspect.Timings;
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
        LatestImages noImages = new LatestImages(30);
        for (int n = 1; n <= 90; n++) {
            feed.onResult(part(n, n % 3 != 0), noImages);
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

    @Test
    void beforeAnyResult_stateIsEmpty() {
        assertThat(new HmiFeed().state()).isSameAs(HmiState.EMPTY);
    }
}
