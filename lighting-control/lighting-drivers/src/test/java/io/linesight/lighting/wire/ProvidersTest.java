/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.lighting.api.LightControllerProvider;
import io.linesight.lighting.api.LightControllers;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    @Test
    void serviceLoader_findsTheWireDrivers_byTheirIds() {
        assertThat(LightControllers.all()).extracting(LightControllerProvider::id).contains("gardasoft", "ascii", "camera-strobe");
    }
}
