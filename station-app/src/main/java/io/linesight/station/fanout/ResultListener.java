/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.fanout;

import io.linesight.station.inspect.Inspection;

/**
 * A viewer of results (HMI, dashboards). Called on the "viewer-dispatch" thread with the latest result only: when a
 * listener is slower than the line, results in between are skipped (counted), never queued, so a viewer can
 * never slow the inspection path. Must not throw; a throw is logged and the listener stays registered.
 */
public interface ResultListener {
    void onResult(Inspection latest, LatestImages images);
}
