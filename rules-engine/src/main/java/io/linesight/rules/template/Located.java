/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules.template;

import io.linesight.rules.RuleContext;
import io.linesight.rules.RuleResult;
import org.jspecify.annotations.Nullable;

/**
 * What a locating rule found: its result, and the context that moves the other rules' ROIs with the part (null
 * when the part was not found, so dependent rules cannot be measured).
 */
public record Located(RuleResult result, @Nullable RuleContext context) {
}
