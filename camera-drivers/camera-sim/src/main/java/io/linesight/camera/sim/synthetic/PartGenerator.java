/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import io.linesight.camera.sim.synthetic.SyntheticPartLayout.Rect;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Derives a part from {@code hash(seed, partId)}: the same seed and part id give the same jitter and defect on
 * every run and machine; nothing depends on the order parts are asked for.
 *
 * <p>Defects (probability {@code defectRate} per part, type uniform among four): a scratch 10-25% of pw long at
 * any angle; a dent, an ellipse with radii 1.5-3% of pw; contamination, 3-8 spots of radius 0.4-0.8% of pw (at
 * least 1 px) whose centres lie within 5% of pw of the cluster's centre; a missing hole. Scratches, dents and
 * contamination lie fully inside the surface region, with one pixel to spare so that their tight pixel boxes do.
 */
final class PartGenerator {
    static final String[] TYPES = {"scratch", "dent", "contamination", "missing_hole"};

    private final long seed;
    private final double defectRate;
    private final SyntheticPartLayout nominal;

    PartGenerator(long seed, double defectRate, int width, int height) {
        this.seed = seed;
        this.defectRate = defectRate;
        this.nominal = SyntheticPartLayout.of(width, height);
    }

    /** A stable 64-bit key of a part id (FNV-1a over its UTF-16 chars). */
    static long partKey(String partId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < partId.length(); i++) {
            h ^= partId.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long mix(long a, long b) {
        return mix(a * 0x9e3779b97f4a7c15L + mix(b));
    }

    SyntheticPart part(long key) {
        SplittableRandom rng = new SplittableRandom(mix(seed, key));
        int j = nominal.jitterMax();
        int jx = rng.nextInt(-j, j + 1);
        int jy = rng.nextInt(-j, j + 1);
        SyntheticPartLayout layout = nominal.shifted(jx, jy);
        Defect defect = null;
        if (rng.nextDouble() < defectRate) {
            defect = switch (rng.nextInt(TYPES.length)) {
                case 0 -> scratch(layout, rng);
                case 1 -> dent(layout, rng);
                case 2 -> contamination(layout, rng);
                default -> new Defect.MissingHole(rng.nextInt(4));
            };
        }
        return new SyntheticPart(key, jx, jy, layout, defect);
    }

    /** A centre coordinate in {@code [lo + extent, hi - extent]}, or the middle when that range is empty. */
    private static double place(SplittableRandom rng, double lo, double hi, double extent) {
        double a = lo + extent;
        double b = hi - extent;
        return a < b ? a + rng.nextDouble() * (b - a) : (lo + hi) / 2;
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + rng.nextDouble() * (hi - lo);
    }

    private static Defect scratch(SyntheticPartLayout l, SplittableRandom rng) {
        Rect s = l.surface();
        double length = uniform(rng, 0.10, 0.25) * l.plateWidth();
        double angle = rng.nextDouble() * Math.PI;
        double dx = Math.cos(angle) * length / 2;
        double dy = Math.sin(angle) * length / 2;
        double margin = Defect.Scratch.WIDTH / 2 + 1;
        double cx = place(rng, s.x1(), s.x2(), Math.abs(dx) + margin);
        double cy = place(rng, s.y1(), s.y2(), Math.abs(dy) + margin);
        return new Defect.Scratch(cx - dx, cy - dy, cx + dx, cy + dy);
    }

    private static Defect dent(SyntheticPartLayout l, SplittableRandom rng) {
        Rect s = l.surface();
        double rx = Math.max(1, uniform(rng, 0.015, 0.03) * l.plateWidth());
        double ry = Math.max(1, uniform(rng, 0.015, 0.03) * l.plateWidth());
        double angle = rng.nextDouble() * Math.PI;
        double c = Math.cos(angle);
        double sn = Math.sin(angle);
        double ex = Math.sqrt(rx * rx * c * c + ry * ry * sn * sn) + 1;
        double ey = Math.sqrt(rx * rx * sn * sn + ry * ry * c * c) + 1;
        return new Defect.Dent(place(rng, s.x1(), s.x2(), ex), place(rng, s.y1(), s.y2(), ey), rx, ry, angle);
    }

    private static Defect contamination(SyntheticPartLayout l, SplittableRandom rng) {
        Rect s = l.surface();
        double spread = 0.05 * l.plateWidth();
        double maxR = Math.max(1, 0.008 * l.plateWidth());
        double extent = spread + maxR + 1;
        double cx = place(rng, s.x1(), s.x2(), extent);
        double cy = place(rng, s.y1(), s.y2(), extent);
        int n = rng.nextInt(3, 9);
        List<Defect.Spot> spots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble() * 2 * Math.PI;
            double d = spread * Math.sqrt(rng.nextDouble());
            double r = Math.max(1, uniform(rng, 0.004, 0.008) * l.plateWidth());
            spots.add(new Defect.Spot(cx + d * Math.cos(a), cy + d * Math.sin(a), r));
        }
        return new Defect.Contamination(spots);
    }
}
