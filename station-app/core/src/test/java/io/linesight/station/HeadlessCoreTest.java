/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The station core builds and tests with its own dependencies only; JavaFX belongs to the HMI module. A dependency
 * that drags JavaFX into the core (and so into every headless station) fails here.
 */
class HeadlessCoreTest {

    @Test
    void theCoresClassPath_holdsNoJavaFx() {
        assertThatThrownBy(() -> Class.forName("javafx.application.Platform"))
                .as("JavaFX on the station core's class path").isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theCoresClassPath_holdsNoHmi() {
        assertThatThrownBy(() -> Class.forName("io.linesight.station.hmi.HmiApp"))
                .as("the HMI module on the station core's class path").isInstanceOf(ClassNotFoundException.class);
    }
}
