/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;
import java.util.List;

/**
 * How rule results and detections become a verdict.
 *
 * @param minDefectAreaPx detections smaller than this (box area in frame pixels) are ignored
 * @param toleratedClasses classes that are reported but never reject a part
 * @param maxDefects      a part with more than this many counted detections is rejected; 0 means any detection
 *                        rejects
 */
public record JudgePolicy(
        @Default("0") @Range(min = 0, max = 1e12) double minDefectAreaPx,
        List<String> toleratedClasses,
        @Default("0") @Range(min = 0, max = 100_000) int maxDefects) {
}
