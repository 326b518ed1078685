/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import io.linesight.config.TriggerMode;

/**
 * An open camera.
 *
 * <p><b>Threads.</b> Control methods ({@link #configure}, {@link #start}, {@link #trigger}, {@link #stop}) are
 * called from one control thread, the station's sequencer for this camera; implementations need not make them
 * safe against concurrent calls to each other, but {@link #close()} may come from any thread and must unblock them.
 * Frames are delivered on the driver's acquisition thread (see {@link FrameSink}).
 *
 * <p><b>Lifecycle.</b> open (provider) → configure* → start → (trigger)* → stop → close. {@code start} and
 * {@code stop} are idempotent; {@code close} is final and idempotent, stops acquisition and frees native memory.
 */
public interface Camera extends AutoCloseable {

    CameraInfo info();

    /** The trigger mode in force (from the camera config). */
    TriggerMode triggerMode();

    /**
     * Applies exposure, gain and vendor features. Blocks for the device round trips (a few ms on GigE).
     * Settings a device does not support raise {@link CameraException.Code#BAD_SETTING} naming the feature.
     */
    void configure(CameraSettings settings) throws CameraException;

    /** Starts acquisition; frames go to {@code sink} until {@link #stop()}. */
    void start(FrameSink sink) throws CameraException;

    /**
     * Sends one software trigger; the resulting frame carries {@code tag}. Returns once the trigger is sent, not
     * when the frame arrives. Only in {@link TriggerMode#SOFTWARE}.
     */
    void trigger(TriggerTag tag) throws CameraException;

    /** Stops acquisition; frames already delivered stay valid. */
    void stop();

    @Override
    void close();
}
