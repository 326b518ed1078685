/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe.rule;

/** The unit a rule's length limits are written in: pixels, or millimetres through the shot's calibration. */
public enum MeasureUnit {
    PX, MM;

    public String symbol() {
        return this == PX ? "px" : "mm";
    }
}
