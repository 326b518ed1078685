/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

import org.jspecify.annotations.Nullable;

/** Checks shared by the rules' limits, thrown from their compact constructors (the binder names the rule's path). */
final class Limits {
    private Limits() {
    }

    /**
     * A lower limit above its upper one fails every part: no measurement can lie between them, so the line would stop
     * on a typing slip. Refused at load instead, naming both.
     */
    static void ordered(String minName, @Nullable Double min, String maxName, @Nullable Double max) {
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(minName + " (" + min + ") must not exceed " + maxName + " (" + max + ")");
        }
    }
}
