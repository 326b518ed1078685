/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.part;

import io.linesight.config.recipe.Recipe;
import io.linesight.rules.judge.Verdict;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A part after acquisition: its frames, or the reason it could not be imaged. Owns one reference to each frame
 * and gives them back through {@link #close()}.
 *
 * @param recipe     the recipe the part is inspected with (fixed at trigger: a changeover never splits a part)
 * @param shots      frames in recipe order; empty when acquisition failed
 * @param fault      a reject decided during acquisition (camera fault, incomplete image, light fault), else null
 * @param acquireNanos time from trigger to the last frame
 */
public record AcquiredPart(Part part, Recipe recipe, List<ShotFrame> shots, Verdict.@Nullable Reject fault,
                           long acquireNanos) implements AutoCloseable {

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
