/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.rules;

import io.linesight.camera.api.Frame;

/**
 * One configured classical check.
 *
 * <p><b>Threads.</b> Called by inspection worker threads; a rule instance may be called by several workers at
 * once, so it keeps no per-call state in fields (scratch memory comes from the worker's {@link RuleContext}).
 * <b>Blocking.</b> Pure computation; must not do I/O. <b>Ownership.</b> The frame is lent for the call; the rule
 * keeps no reference to it or its pixels. <b>Throwing.</b> An exception becomes a failed result with reason
 * {@code RULE_ERROR}; it never passes the part.
 */
public interface Rule {
    String name();

    /** The shot this rule inspects. */
    String shot();

    RuleResult evaluate(Frame frame, RuleContext context);
}
