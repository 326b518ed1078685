/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import java.util.List;

/** A defect drawn on a synthetic part; coordinates in frame pixels (pixel-edge convention of the layout). */
sealed interface Defect {

    /** The truth label: {@code scratch}, {@code dent}, {@code contamination} or {@code missing_hole}. */
    String label();

    /** A dark line segment, {@link #WIDTH} pixels wide, grey 80. */
    record Scratch(double x1, double y1, double x2, double y2) implements Defect {
        static final double WIDTH = 3;
        static final int GREY = 80;

        @Override
        public String label() {
            return "scratch";
        }
    }

    /** A dark filled ellipse rotated by {@code angle} radians, grey 95. */
    record Dent(double cx, double cy, double rx, double ry, double angle) implements Defect {
        static final int GREY = 95;

        @Override
        public String label() {
            return "dent";
        }
    }

    /** A cluster of dark round spots, grey 60. */
    record Contamination(List<Spot> spots) implements Defect {
        static final int GREY = 60;

        public Contamination {
            spots = List.copyOf(spots);
        }

        @Override
        public String label() {
            return "contamination";
        }
    }

    /** One spot of a {@link Contamination}. */
    record Spot(double cx, double cy, double r) {
    }

    /** Hole {@code index} (0..3, order of {@link SyntheticPartLayout#holeCentres()}) was not drilled. */
    record MissingHole(int index) implements Defect {
        @Override
        public String label() {
            return "missing_hole";
        }
    }
}
