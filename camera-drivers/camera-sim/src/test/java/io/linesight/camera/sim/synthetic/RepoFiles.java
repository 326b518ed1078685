/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.sim.synthetic;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Files of other modules that tests check against (the demo recipe, the demo model), found from the working folder up. */
final class RepoFiles {
    private RepoFiles() {
    }

    /** The file at {@code relative} below the first folder up from here that has it, or null. */
    static @Nullable Path find(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve(relative);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }
}
