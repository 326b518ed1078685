/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.camera.api.TruthBox;
import io.linesight.camera.sim.synthetic.SyntheticPartLayout.Point;
import io.linesight.camera.sim.synthetic.SyntheticPartLayout.Rect;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PartGeneratorTest {

    @Nested
    class Determinism {
        @Test
        void sameSeedAndPartId_giveTheSamePart_whateverWasAskedBefore() {
            PartGenerator a = new PartGenerator(7, 0.5, 640, 512);
            PartGenerator b = new PartGenerator(7, 0.5, 640, 512);
            for (int i = 0; i < 50; i++) {
                b.part(PartGenerator.partKey("other-" + i));
            }
            for (int i = 0; i < 200; i++) {
                long key = PartGenerator.partKey("P" + i);
                assertThat(b.part(key)).isEqualTo(a.part(key));
            }
        }

        @Test
        void differentSeeds_giveDifferentParts() {
            PartGenerator a = new PartGenerator(1, 0.5, 640, 512);
            PartGenerator b = new PartGenerator(2, 0.5, 640, 512);
            int same = 0;
            for (int i = 0; i < 100; i++) {
                long key = PartGenerator.partKey("P" + i);
                same += a.part(key).equals(b.part(key)) ? 1 : 0;
            }
            // a part without defect and with equal jitter can repeat by chance: 1/27^2 * 0.25 per part
            assertThat(same).isLessThan(5);
        }

        @Test
        void jitter_staysWithinOnePercentOfWidth() {
            PartGenerator g = new PartGenerator(3, 0, 1280, 1024);
            int minX = 0;
            int maxX = 0;
            for (int i = 0; i < 2000; i++) {
                SyntheticPart p = g.part(PartGenerator.partKey("J" + i));
                assertThat(Math.abs(p.jitterX())).isLessThanOrEqualTo(13);
                assertThat(Math.abs(p.jitterY())).isLessThanOrEqualTo(13);
                minX = Math.min(minX, p.jitterX());
                maxX = Math.max(maxX, p.jitterX());
            }
            assertThat(minX).as("jitter reaches -J").isEqualTo(-13);
            assertThat(maxX).as("jitter reaches +J").isEqualTo(13);
        }
    }

    @Test
    @DisplayName("defect rate 0.1 over 1000 parts: count within 4.5 sigma, each type about a quarter")
    void defectRate_over1000Parts_isWithinStatisticalBounds() {
        PartGenerator g = new PartGenerator(11, 0.1, 1280, 1024);
        int defective = 0;
        for (int i = 0; i < 1000; i++) {
            defective += g.part(PartGenerator.partKey("part-" + i)).defect() != null ? 1 : 0;
        }
        // binomial(1000, 0.1): mean 100, sigma 9.5
        assertThat(defective).isBetween(57, 143);

        Map<String, Integer> types = new HashMap<>();
        PartGenerator all = new PartGenerator(11, 1.0, 1280, 1024);
        for (int i = 0; i < 1000; i++) {
            Defect d = all.part(PartGenerator.partKey("part-" + i)).defect();
            assertThat(d).isNotNull();
            types.merge(d.label(), 1, Integer::sum);
        }
        // binomial(1000, 0.25): mean 250, sigma 13.7
        assertThat(types).containsOnlyKeys(PartGenerator.TYPES);
        assertThat(types.values()).allSatisfy(n -> assertThat(n).isBetween(190, 310));
    }

    @Test
    void defectRateZero_givesGoodPartsOnly() {
        PartGenerator g = new PartGenerator(5, 0, 320, 256);
        for (int i = 0; i < 300; i++) {
            assertThat(g.part(PartGenerator.partKey("x" + i)).defect()).isNull();
        }
    }

    @Test
    @DisplayName("every truth box lies in the surface region, or on its hole for missing_hole, and the pixels changed")
    void truthBoxes_lieInsideTheSurfaceRegion_orOnTheMissingHole() {
        int w = 640;
        int h = 512;
        PartGenerator g = new PartGenerator(99, 1.0, w, h);
        BracketPainter painter = new BracketPainter(w, h);
        byte[] img = new byte[w * h];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            SyntheticPart part = g.part(PartGenerator.partKey("T" + i));
            List<TruthBox> truth = painter.paint(part, img);
            Defect d = part.defect();
            assertThat(truth).hasSize(1);
            TruthBox box = truth.getFirst();
            assertThat(box.label()).isEqualTo(d.label());
            assertThat(box.area()).isPositive();
            seen.merge(box.label(), 1, Integer::sum);
            SyntheticPartLayout l = part.layout();
            if (d instanceof Defect.MissingHole(int index)) {
                Point c = l.hole(index);
                int r = l.holeRadius();
                assertThat(box.x1()).isBetween(c.x() - r - 1, c.x() - r + 1);
                assertThat(box.x2()).isBetween(c.x() + r - 1, c.x() + r + 1);
                assertThat(box.y1()).isBetween(c.y() - r - 1, c.y() - r + 1);
                assertThat(box.y2()).isBetween(c.y() + r - 1, c.y() + r + 1);
                assertThat(grey(img, w, c)).as("undrilled hole has plate grey").isEqualTo(170);
            } else {
                Rect s = l.surface();
                assertThat(s.contains(box.x1(), box.y1(), box.x2(), box.y2())).as("%s inside %s", box, s).isTrue();
                int dark = countBelow(img, w, box, 100);
                assertThat(dark).as("dark pixels in %s", box).isPositive();
            }
        }
        assertThat(seen).containsOnlyKeys(PartGenerator.TYPES);
    }

    @Test
    @DisplayName("a truth box is exactly the bounding box of the pixels that differ from the same part without defect")
    void truthBox_isTheTightBoxOfTheChangedPixels() {
        int w = 480;
        int h = 400;
        PartGenerator g = new PartGenerator(21, 1.0, w, h);
        BracketPainter painter = new BracketPainter(w, h);
        byte[] withDefect = new byte[w * h];
        byte[] without = new byte[w * h];
        for (int i = 0; i < 120; i++) {
            SyntheticPart part = g.part(PartGenerator.partKey("D" + i));
            TruthBox box = painter.paint(part, withDefect).getFirst();
            painter.paint(new SyntheticPart(part.key(), part.jitterX(), part.jitterY(), part.layout(), null), without);
            int x1 = Integer.MAX_VALUE;
            int y1 = Integer.MAX_VALUE;
            int x2 = -1;
            int y2 = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (withDefect[y * w + x] != without[y * w + x]) {
                        x1 = Math.min(x1, x);
                        y1 = Math.min(y1, y);
                        x2 = Math.max(x2, x + 1);
                        y2 = Math.max(y2, y + 1);
                    }
                }
            }
            assertThat(box).isEqualTo(new TruthBox(part.defect().label(), x1, y1, x2, y2));
        }
    }

    @Test
    void scratch_isThreePixelsWide_andTenToTwentyFivePercentOfPlateWidthLong() {
        PartGenerator g = new PartGenerator(4, 1.0, 1280, 1024);
        int checked = 0;
        for (int i = 0; checked < 30 && i < 1000; i++) {
            if (g.part(PartGenerator.partKey("S" + i)).defect() instanceof Defect.Scratch s) {
                double len = Math.hypot(s.x2() - s.x1(), s.y2() - s.y1());
                assertThat(len).isBetween(0.10 * 896, 0.25 * 896);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(30);
    }

    @Test
    void contamination_hasThreeToEightSpots_clusteredWithinFivePercentOfPlateWidth() {
        PartGenerator g = new PartGenerator(8, 1.0, 1280, 1024);
        int checked = 0;
        for (int i = 0; checked < 30 && i < 1000; i++) {
            if (g.part(PartGenerator.partKey("C" + i)).defect() instanceof Defect.Contamination c) {
                assertThat(c.spots()).hasSizeBetween(3, 8);
                double[] xs = c.spots().stream().mapToDouble(Defect.Spot::cx).toArray();
                double spread = Arrays.stream(xs).max().orElseThrow() - Arrays.stream(xs).min().orElseThrow();
                assertThat(spread).isLessThanOrEqualTo(2 * 0.05 * 896);
                assertThat(c.spots()).allSatisfy(s -> assertThat(s.r()).isBetween(0.004 * 896, 0.008 * 896));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(30);
    }

    private static int grey(byte[] img, int w, Point c) {
        return img[(int) c.y() * w + (int) c.x()] & 0xff;
    }

    private static int countBelow(byte[] img, int w, TruthBox b, int level) {
        int n = 0;
        for (int y = (int) b.y1(); y < b.y2(); y++) {
            for (int x = (int) b.x1(); x < b.x2(); x++) {
                n += (img[y * w + x] & 0xff) < level ? 1 : 0;
            }
        }
        return n;
    }
}
