/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.part;

import io.linesight.camera.api.Frame;

/** One shot of a part with its frame. The part's owner closes the frame when inspection is over. */
public record ShotFrame(String shot, String camera, Frame frame) {
}
