/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.overlay;

import java.util.List;

/** Geometry drawn over an image: ROIs, found blobs, edges, fitted circles. Frame pixel coordinates. */
public sealed interface Overlay {
    /** Drawn as passing (green) or failing (red). */
    boolean pass();

    /** Short text shown next to the shape; may be empty. */
    String label();

    record Box(double x, double y, double width, double height, boolean pass, String label) implements Overlay {
    }

    record Circle(double cx, double cy, double radius, boolean pass, String label) implements Overlay {
    }

    record Line(double x1, double y1, double x2, double y2, boolean pass, String label) implements Overlay {
    }

    /** A closed outline, e.g. a blob contour; points are x0,y0,x1,y1,… */
    record Polygon(List<Double> points, boolean pass, String label) implements Overlay {
        public Polygon {
            points = List.copyOf(points);
        }
    }
}
