/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import io.linesight.station.result.Inspection;
import org.jspecify.annotations.Nullable;

/**
 * A viewer of results (HMI, dashboards). Called on the "viewer-dispatch" thread with the latest result only: when a
 * listener is slower than the line, results in between are skipped (counted), never queued, so a viewer can
 * never slow the inspection path. Must not throw; a throw is logged and the listener stays registered.
 */
public interface ResultListener {
    /**
     * @param latest the newest decided part
     * @param images that part's own viewer images (shared by every listener, never written again), or null when
     *               none were copied for it: not imaged, or decided sooner after the last copy than the copy rate allows
     */
    void onResult(Inspection latest, LatestImages.@Nullable PartImages images);
}
