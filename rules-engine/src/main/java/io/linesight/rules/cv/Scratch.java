/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.cv;

import org.opencv.core.Mat;

/**
 * Scratch Mats of one worker thread. Rules are shared by several workers, so per-call native buffers cannot be
 * fields; allocating them per frame would put several MB of native allocation per part on the hot path (invariant 4).
 * Each worker thread instead keeps a few Mats that OpenCV re-uses as long as size and type do not change
 * ({@code Mat.create} is a no-op then). A rule uses the slots only within one {@code evaluate} call and never
 * hands them out; slots are numbered per use ({@link #BINARY}, …) so nested helpers do not collide.
 */
public final class Scratch {
    public static final int CONVERTED = 0;
    public static final int BINARY = 1;
    public static final int HIERARCHY = 2;
    public static final int WORK_A = 3;
    public static final int WORK_B = 4;
    public static final int WORK_C = 5;
    public static final int WORK_D = 6;
    public static final int WORK_E = 7;
    private static final int SLOTS = 8;

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    private final Mat[] mats = new Mat[SLOTS];

    private Scratch() {
        OpenCv.ensureLoaded();
        for (int i = 0; i < SLOTS; i++) {
            mats[i] = new Mat();
        }
    }

    /** The calling thread's scratch. */
    public static Scratch get() {
        return PER_THREAD.get();
    }

    public Mat mat(int slot) {
        return mats[slot];
    }
}
