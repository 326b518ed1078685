/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import org.jspecify.annotations.Nullable;

/**
 * Everything about one part, derived from {@code hash(seed, partId)}: where it lies and what is wrong with it.
 *
 * @param key    the part's hash key ({@link PartGenerator#partKey(String)})
 * @param layout the plate geometry, jitter applied
 * @param defect the part's defect, or null for a good part
 */
record SyntheticPart(long key, int jitterX, int jitterY, SyntheticPartLayout layout, @Nullable Defect defect) {
}
