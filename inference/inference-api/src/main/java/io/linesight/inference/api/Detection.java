/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

/**
 * One detected object, box in frame pixels (x1,y1 top-left; x2,y2 bottom-right, exclusive edges as floats).
 */
public record Detection(float x1, float y1, float x2, float y2, int classId, String className, float score) {

    public float width() {
        return Math.max(0f, x2 - x1);
    }

    public float height() {
        return Math.max(0f, y2 - y1);
    }

    public float area() {
        return width() * height();
    }

    /** Intersection over union with another box; 0 when either has no area. */
    public float iou(Detection o) {
        float ix = Math.max(0f, Math.min(x2, o.x2) - Math.max(x1, o.x1));
        float iy = Math.max(0f, Math.min(y2, o.y2) - Math.max(y1, o.y1));
        float inter = ix * iy;
        float union = area() + o.area() - inter;
        return union <= 0f ? 0f : inter / union;
    }
}
