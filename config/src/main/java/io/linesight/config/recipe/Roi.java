/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Range;

/** An axis-aligned region of interest in frame pixels (before any fixture offset is applied). */
public record Roi(
        @Range(min = 0, max = 16384) int x,
        @Range(min = 0, max = 16384) int y,
        @Range(min = 1, max = 16384) int width,
        @Range(min = 1, max = 16384) int height) {

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public boolean fitsIn(int frameWidth, int frameHeight) {
        return right() <= frameWidth && bottom() <= frameHeight;
    }

    /** Whether any pixel of it lies inside a frame of that size. */
    public boolean overlaps(int frameWidth, int frameHeight) {
        return x < frameWidth && y < frameHeight;
    }
}
