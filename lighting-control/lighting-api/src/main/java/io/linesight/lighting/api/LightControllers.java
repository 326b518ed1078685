/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.api;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The lighting drivers on the class path. */
public final class LightControllers {
    private LightControllers() {
    }

    public static List<LightControllerProvider> all() {
        return ServiceLoader.load(LightControllerProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    public static LightControllerProvider byId(String id) throws LightException {
        List<LightControllerProvider> all = all();
        return all.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new LightException(LightException.Code.DRIVER_MISSING, "unknown light driver '" + id
                        + "'; found: " + all.stream().map(LightControllerProvider::id).sorted().collect(Collectors.joining(", "))));
    }
}
