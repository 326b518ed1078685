/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.inference.api;

import io.linesight.camera.api.Frame;
import java.util.List;

/**
 * A loaded model ready to run.
 *
 * <p><b>Threads.</b> Not thread-safe: each inspection worker opens its own detector (its own session and
 * buffers). <b>Blocking.</b> {@link #detect} runs the model on the calling thread and returns when done.
 * <b>Ownership.</b> The frame stays the caller's; the detector reads its pixels during the call only and keeps no
 * reference. The returned list is new and belongs to the caller.
 */
public interface Detector extends AutoCloseable {

    ModelInfo info();

    /** Detections in frame pixels, filtered by the recipe's thresholds and NMS, best first. */
    List<Detection> detect(Frame frame) throws InferenceException;

    @Override
    void close();
}
