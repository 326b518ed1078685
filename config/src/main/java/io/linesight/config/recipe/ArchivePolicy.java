/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.bind.Default;
import io.linesight.config.bind.Range;

/**
 * Which parts' images are kept.
 *
 * @param rejects  keep every rejected part's images
 * @param okEveryN keep every Nth good part; 0 keeps none
 */
public record ArchivePolicy(
        @Default("true") boolean rejects,
        @Default("0") @Range(min = 0, max = 1_000_000) int okEveryN) {
}
