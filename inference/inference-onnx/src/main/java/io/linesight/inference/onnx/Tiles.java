/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.onnx;

import java.util.ArrayList;
import java.util.List;

/** Overlapping square tiles covering a frame; the last tile of a row or column is moved in to end at the edge. */
public final class Tiles {
    private Tiles() {
    }

    /** A tile in frame pixels. */
    public record Tile(int x, int y, int width, int height) {
    }

    public static List<Tile> cover(int frameW, int frameH, int size, int overlap) {
        if (size <= overlap) {
            throw new IllegalArgumentException("tile size " + size + " must exceed overlap " + overlap);
        }
        List<Tile> tiles = new ArrayList<>();
        for (int y : starts(frameH, size, overlap)) {
            for (int x : starts(frameW, size, overlap)) {
                tiles.add(new Tile(x, y, Math.min(size, frameW), Math.min(size, frameH)));
            }
        }
        return List.copyOf(tiles);
    }

    private static List<Integer> starts(int length, int size, int overlap) {
        List<Integer> s = new ArrayList<>();
        if (length <= size) {
            s.add(0);
            return s;
        }
        int step = size - overlap;
        for (int p = 0; ; p += step) {
            if (p + size >= length) {
                s.add(length - size);
                return s;
            }
            s.add(p);
        }
    }
}
