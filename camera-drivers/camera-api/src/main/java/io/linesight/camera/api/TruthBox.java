/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

/** A known defect in an image (ground truth), box in frame pixels. */
public record TruthBox(String label, double x1, double y1, double x2, double y2) {
    public double area() {
        return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    }
}
