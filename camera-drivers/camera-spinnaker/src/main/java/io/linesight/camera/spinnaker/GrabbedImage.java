/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import java.nio.ByteBuffer;

/**
 * One image the SDK handed over, as {@link FrameDelivery} sees it: what the image says about itself (not what the
 * station configured), and its bytes. The seam between the driver and the Spinnaker C API, so that the checks and
 * the copy can run without the SDK. Valid until the acquisition loop gives it back; read on the acquisition thread
 * only.
 */
interface GrabbedImage {

    /** The SDK marked it incomplete (packets lost), or it could not be converted; see {@link #problem()}. */
    boolean incomplete();

    /** What the SDK reported wrong with it, for the frame's reason ("incomplete (status 3)"); empty when nothing. */
    String problem();

    long width();

    long height();

    /** Bytes from the start of one row to the next (a row's pixels and its padding). */
    long stride();

    /** The SDK's pixel format ({@code spinPixelFormatEnums} value). */
    int pixelFormat();

    /** Bytes of image data that may be read (never more than the SDK's buffer holds). */
    long dataBytes();

    /** A read-only view of the first {@code bytes} bytes of image data; {@code bytes} is at most {@link #dataBytes()}. */
    ByteBuffer data(long bytes);

    long frameId();

    /** The camera's timestamp, ns; 0 when it has none. */
    long timestampNs();
}
