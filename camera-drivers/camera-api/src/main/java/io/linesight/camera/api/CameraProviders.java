/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.api;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The camera drivers on the class path. */
public final class CameraProviders {
    private CameraProviders() {
    }

    public static List<CameraProvider> all() {
        return ServiceLoader.load(CameraProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The provider with this id; an unknown id is an error that lists the ids found. */
    public static CameraProvider byId(String id) throws CameraException {
        List<CameraProvider> all = all();
        for (CameraProvider p : all) {
            if (p.id().equals(id)) {
                if (!p.available()) {
                    throw new CameraException(CameraException.Code.DRIVER_MISSING, p.unavailableReason());
                }
                return p;
            }
        }
        throw new CameraException(CameraException.Code.DRIVER_MISSING, "unknown camera driver '" + id + "'; found: "
                + all.stream().map(CameraProvider::id).sorted().collect(Collectors.joining(", ")));
    }
}
