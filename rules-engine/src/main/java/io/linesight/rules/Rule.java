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
 * {@code RULE_ERROR}; it never passes the part. <b>Closing.</b> A rule that holds native images (golden, template)
 * frees them in {@link #close()}; the owner of a recipe's rules closes them once no worker evaluates them any more
 * (after a changeover has drained the parts in flight), since a rule closed under a running evaluation would read
 * freed memory.
 */
public interface Rule extends AutoCloseable {
    String name();

    /** The shot this rule inspects. */
    String shot();

    RuleResult evaluate(Frame frame, RuleContext context);

    /**
     * Frees the native memory the rule holds; idempotent. An evaluation after close returns a {@code RULE_ERROR}
     * result instead of touching freed memory. Rules that hold nothing native keep this default.
     */
    @Override
    default void close() {
    }
}
