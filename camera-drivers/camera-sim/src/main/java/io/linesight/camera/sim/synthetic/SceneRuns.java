/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import java.util.Arrays;

/**
 * A clean scene as runs of one grey level over its pixels in row-major order (a run may go on from the end of one
 * row into the next). A bracket scene is a few thousand runs: the background, the plate, the holes, a defect and
 * the part-id stamp. The exposure then only copies each run from the noise texture of its grey level, instead of
 * looking up every pixel.
 *
 * <p>Arrays grow to the largest scene seen and are then reused: encoding a scene allocates nothing. Not
 * thread-safe: one per acquisition thread.
 */
final class SceneRuns {
    /** Length of the constant rows that runs are compared against; a longer run takes several comparisons. */
    private static final int CHUNK = 4096;

    private int[] starts = new int[1024];
    private byte[] greys = new byte[1024];
    private int count;
    private int length;
    private final int[] pixelsOfGrey = new int[256];
    private final byte[][] constant = new byte[256][];

    /** Encodes {@code scene[0, length)}. */
    void encode(byte[] scene, int length) {
        Arrays.fill(pixelsOfGrey, 0);
        count = 0;
        this.length = length;
        int p = 0;
        while (p < length) {
            byte g = scene[p];
            byte[] same = constant(g);
            int end = p + 1;
            // Arrays.mismatch compares many bytes per instruction: the scan costs far less than a pass per pixel
            while (end < length) {
                int n = Math.min(CHUNK, length - end);
                int m = Arrays.mismatch(scene, end, end + n, same, 0, n);
                if (m < 0) {
                    end += n;
                } else {
                    end += m;
                    break;
                }
            }
            add(p, g);
            pixelsOfGrey[g & 0xff] += end - p;
            p = end;
        }
        ensure(count + 1);
        starts[count] = length;
    }

    private byte[] constant(byte g) {
        byte[] c = constant[g & 0xff];
        if (c == null) {
            c = new byte[CHUNK];
            Arrays.fill(c, g);
            constant[g & 0xff] = c;
        }
        return c;
    }

    private void add(int start, byte grey) {
        ensure(count + 1);
        starts[count] = start;
        greys[count] = grey;
        count++;
    }

    private void ensure(int n) {
        if (n > starts.length) {
            starts = Arrays.copyOf(starts, Math.max(n, 2 * starts.length));
            greys = Arrays.copyOf(greys, starts.length);
        }
    }

    /** Pixels of the encoded scene. */
    int length() {
        return length;
    }

    int count() {
        return count;
    }

    /** First pixel of run {@code r}. */
    int start(int r) {
        return starts[r];
    }

    /** One past the last pixel of run {@code r}. */
    int end(int r) {
        return starts[r + 1];
    }

    /** Grey level of run {@code r}, 0..255. */
    int grey(int r) {
        return greys[r] & 0xff;
    }

    /** How many pixels of the scene have grey level {@code grey}. */
    int pixelsOf(int grey) {
        return pixelsOfGrey[grey];
    }
}
