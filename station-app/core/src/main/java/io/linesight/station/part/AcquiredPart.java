/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.part;

import io.linesight.config.recipe.Recipe;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A part after acquisition, all its frames taken (a part that could not be imaged was rejected on its ticket
 * instead). Owns one reference to each frame
 * and gives them back through {@link #close()}.
 *
 * @param recipe     the recipe the part is inspected with (fixed at trigger: a changeover never splits a part)
 * @param shots      frames in recipe order
 * @param acquireNanos time from trigger to the last frame
 */
public record AcquiredPart(Part part, Recipe recipe, List<ShotFrame> shots, long acquireNanos) implements AutoCloseable {

    public AcquiredPart {
        shots = List.copyOf(shots);
    }

    public @Nullable ShotFrame shot(String name) {
        for (ShotFrame s : shots) {
            if (s.shot().equals(name)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (ShotFrame s : shots) {
            s.frame().close();
        }
    }
}
