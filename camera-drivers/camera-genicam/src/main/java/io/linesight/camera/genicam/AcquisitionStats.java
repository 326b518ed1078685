/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.genicam;

/**
 * What one GenICam camera has delivered and lost since it was opened.
 *
 * @param delivered      frames handed to the sink (complete or not)
 * @param incomplete     of those, frames flagged incomplete (missing packets, timeout, wrong size)
 * @param lostFrames     frames the camera sent that never arrived (gaps in the device's frame ids)
 * @param lostTriggers   software triggers whose frame did not come within the frame timeout
 * @param poolExhausted  images dropped because every frame buffer was still held downstream
 * @param faults         disconnections seen
 * @param untriggered    frames discarded because no trigger asked for them (gated devices only)
 * @param sinkFailures   calls into the frame sink that threw (contained: acquisition went on)
 */
public record AcquisitionStats(long delivered, long incomplete, long lostFrames, long lostTriggers,
        long poolExhausted, long faults, long untriggered, long sinkFailures) {
}
