/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.linesight.camera.sim.synthetic.SyntheticPartLayout.Point;
import io.linesight.camera.sim.synthetic.SyntheticPartLayout.Rect;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The layout numbers below are the documented contract (README), worked out by hand from the formulas. */
class SyntheticPartLayoutTest {

    @Test
    @DisplayName("1280x1024: plate 896x614 at (192, 205), holes r=37, jitter 13")
    void layout_at1280x1024_followsTheFormulas() {
        SyntheticPartLayout l = SyntheticPartLayout.of(1280, 1024);
        assertThat(l.plate()).isEqualTo(new Rect(192, 205, 192 + 896, 205 + 614));
        assertThat(l.cornerRadius()).isCloseTo(30.7, within(1e-9));
        assertThat(l.holeRadius()).isEqualTo(37);
        assertThat(l.jitterMax()).isEqualTo(13);
        assertThat(l.holeCentres())
                .satisfiesExactly(
                        p -> assertPoint(p, 326.4, 327.8),
                        p -> assertPoint(p, 953.6, 327.8),
                        p -> assertPoint(p, 326.4, 696.2),
                        p -> assertPoint(p, 953.6, 696.2));
        Rect s = l.surface();
        assertThat(s.x1()).isCloseTo(192 + 250.88, within(1e-9));
        assertThat(s.x2()).isCloseTo(192 + 645.12, within(1e-9));
        assertThat(s.y1()).isCloseTo(205 + 92.1, within(1e-9));
        assertThat(s.y2()).isCloseTo(205 + 521.9, within(1e-9));
    }

    @Test
    @DisplayName("2448x2048: plate 1714x1229 at (367, 409), holes r=74, jitter 24")
    void layout_at2448x2048_followsTheFormulas() {
        SyntheticPartLayout l = SyntheticPartLayout.of(2448, 2048);
        assertThat(l.plate()).isEqualTo(new Rect(367, 409, 367 + 1714, 409 + 1229));
        assertThat(l.cornerRadius()).isCloseTo(61.45, within(1e-9));
        assertThat(l.holeRadius()).isEqualTo(74);
        assertThat(l.jitterMax()).isEqualTo(24);
        assertPoint(l.hole(0), 367 + 257.1, 409 + 245.8);
        assertPoint(l.hole(3), 367 + 1456.9, 409 + 983.2);
    }

    @Test
    void shifted_movesEveryFeatureByTheJitter() {
        SyntheticPartLayout l = SyntheticPartLayout.of(1280, 1024);
        SyntheticPartLayout s = l.shifted(-13, 7);
        assertThat(s.plateX()).isEqualTo(l.plateX() - 13);
        assertThat(s.plateY()).isEqualTo(l.plateY() + 7);
        assertPoint(s.hole(2), l.hole(2).x() - 13, l.hole(2).y() + 7);
        assertThat(s.surface().x1()).isCloseTo(l.surface().x1() - 13, within(1e-9));
    }

    @Test
    @DisplayName("the painted scene has plate grey 170, hole and background grey 40 where the layout says")
    void paintedScene_matchesTheLayout() {
        int w = 1280;
        int h = 1024;
        SyntheticPartLayout l = SyntheticPartLayout.of(w, h);
        SyntheticPart good = new SyntheticPart(0, 0, 0, l, null);
        byte[] img = new byte[w * h];
        assertThat(new BracketPainter(w, h).paint(good, img)).isEmpty();

        assertThat(grey(img, w, 5, 5)).isEqualTo(40);
        assertThat(grey(img, w, l.plateX() + l.plateWidth() / 2, l.plateY() + 3)).isEqualTo(170);
        assertThat(grey(img, w, l.plateX() - 1, l.plateY() + l.plateHeight() / 2)).isEqualTo(40);
        assertThat(grey(img, w, l.plateX(), l.plateY() + l.plateHeight() / 2)).isEqualTo(170);
        assertThat(grey(img, w, l.plateX() + l.plateWidth() - 1, l.plateY() + l.plateHeight() / 2)).isEqualTo(170);
        assertThat(grey(img, w, l.plateX() + l.plateWidth(), l.plateY() + l.plateHeight() / 2)).isEqualTo(40);
        // rounded corner: the plate's corner pixel is background
        assertThat(grey(img, w, l.plateX(), l.plateY())).isEqualTo(40);
        for (Point c : l.holeCentres()) {
            assertThat(grey(img, w, (int) c.x(), (int) c.y())).isEqualTo(40);
            assertThat(grey(img, w, (int) (c.x() + l.holeRadius() + 2), (int) c.y())).isEqualTo(170);
        }
        // a hole covers about pi r^2 pixels
        int holePixels = count(img, w, l.holeCentres().get(0), l.holeRadius() + 3, 40);
        assertThat((double) holePixels).isCloseTo(Math.PI * 37 * 37, within(0.02 * Math.PI * 37 * 37));
    }

    private static int count(byte[] img, int w, Point c, int reach, int grey) {
        int n = 0;
        for (int y = (int) c.y() - reach; y <= c.y() + reach; y++) {
            for (int x = (int) c.x() - reach; x <= c.x() + reach; x++) {
                n += grey(img, w, x, y) == grey ? 1 : 0;
            }
        }
        return n;
    }

    private static int grey(byte[] img, int w, int x, int y) {
        return img[y * w + x] & 0xff;
    }

    private static void assertPoint(Point p, double x, double y) {
        assertThat(p.x()).as("x").isCloseTo(x, within(1e-9));
        assertThat(p.y()).as("y").isCloseTo(y, within(1e-9));
    }

    @Test
    void holeCentres_areInReadingOrder() {
        List<Point> c = SyntheticPartLayout.of(640, 480).holeCentres();
        assertThat(c.get(0).x()).isLessThan(c.get(1).x());
        assertThat(c.get(0).y()).isLessThan(c.get(2).y());
        assertThat(c.get(3).x()).isEqualTo(c.get(1).x());
        assertThat(c.get(3).y()).isEqualTo(c.get(2).y());
    }
}
