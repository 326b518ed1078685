/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

/**
 * Receives a camera's frames.
 *
 * <p><b>Thread.</b> Called on the camera's own acquisition thread, one call at a time per camera, in frame order.
 * <b>Blocking.</b> Must not block: while it runs the driver cannot hand over the next frame, and at the line's rate
 * that means lost frames. Hand the frame to a queue and return.
 * <b>Ownership.</b> The frame arrives holding one reference that now belongs to the sink: the sink closes it (or
 * passes it on to a stage that does). Incomplete frames are delivered too, flagged by {@link Frame#complete()}.
 * <b>Throwing.</b> An exception is logged by the driver, the frame is closed for the sink, and acquisition goes on.
 */
public interface FrameSink {
    void onFrame(Frame frame);

    /**
     * The camera failed (disconnected, stream error). Called on the acquisition thread or the driver's watchdog
     * thread, at most once per fault; the driver then reconnects with backoff and calls {@link #onRecovered()}.
     * Must not block.
     */
    default void onFault(CameraException fault) {
    }

    /** The camera is back and its settings are re-applied. Same thread rules as {@link #onFault}. */
    default void onRecovered() {
    }
}
