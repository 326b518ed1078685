/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import io.linesight.config.station.CameraConfig;
import java.util.List;

/**
 * A camera driver, found with {@link java.util.ServiceLoader} and chosen by {@link #id()} from
 * {@code cameras[].driver}. Implementations have a public no-argument constructor and do no I/O until asked:
 * loading a provider must not touch devices or the network.
 */
public interface CameraProvider {

    /** The id station.yaml uses: {@code synthetic}, {@code replay}, {@code genicam}, {@code spinnaker}. */
    String id();

    /**
     * Whether this driver can work here (its native library loads). When not, {@link #unavailableReason()} says why,
     * e.g. {@code spinnaker: SDK not found (libSpinnaker_C.so)}.
     */
    default boolean available() {
        return true;
    }

    default String unavailableReason() {
        return "";
    }

    /** Cameras this driver can see now. May block for a discovery round (up to about a second on GigE). */
    List<CameraInfo> discover() throws CameraException;

    /** Opens and prepares the camera named by {@code config.device()}; blocks until it is ready. */
    Camera open(CameraConfig config) throws CameraException;
}
