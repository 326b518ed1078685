/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.archive;

/**
 * An archived shot read back as 8-bit grey, row-major without padding; 16-bit formats are shifted by their bit depth
 * as the live view shifts frames, so an archived image looks like the live one.
 */
public record GreyImage(int width, int height, byte[] pixels) {
}
