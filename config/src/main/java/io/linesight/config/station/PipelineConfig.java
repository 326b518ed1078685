/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.station;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;

/**
 * Threads and queues of the inspection pipeline.
 *
 * @param inspectionWorkers parallel inspection lanes, each with its own model session
 * @param queueCapacity     parts waiting for a worker; a part that finds the queue full is REJECTed at once
 *                          (reason {@code QUEUE_FULL}) and counted: an uninspected part never passes
 */
public record PipelineConfig(
        @Default("2") @Range(min = 1, max = 64) int inspectionWorkers,
        @Default("32") @Range(min = 1, max = 100_000) int queueCapacity) {
}
