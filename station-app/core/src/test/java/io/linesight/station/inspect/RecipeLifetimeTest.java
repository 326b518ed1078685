/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.station.StationConfigLoader.LoadedStation;
import io.linesight.station.testing.TestStations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replaced recipe (with its model sessions) is closed when the last part that uses it is done, not on a timer:
 * the demo recipe with its real model.
 */
class RecipeLifetimeTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedRecipe_staysOpenWhileAPartUsesIt_andClosesWithTheLastOne() throws Exception {
        LoadedStation loaded = TestStations.load(dir, TestStations.demoStationYaml());
        ActiveRecipe r = ActiveRecipe.load(TestStations.recipe(loaded), loaded.recipeDir(), 2);
        assertThat(r.retain()).as("a part takes the recipe").isTrue();
        assertThat(r.retain()).as("a second part").isTrue();

        r.release(); // the station changed over to another recipe
        r.release(); // one part finished
        Thread.sleep(100);
        assertThat(r.closed()).as("a part still inspects with it").isFalse();
        assertThat(r.detector(0)).isNotNull();

        r.release(); // the last part finished
        long until = System.nanoTime() + 5_000_000_000L;
        while (!r.closed() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(r.closed()).isTrue();
        assertThat(r.retain()).as("a closed recipe cannot be taken again").isFalse();
        assertThatThrownBy(r::release).isInstanceOf(IllegalStateException.class);
    }
}
