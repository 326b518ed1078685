/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

/**
 * What a station or recipe file may be, at most. A real recipe is a few kilobytes with a handful of levels; these
 * bounds are far above that and far below what makes parsing slow or deep enough to overflow the stack, so bad or
 * hostile input (a huge file, a thousand nested brackets, an alias bomb) is refused in milliseconds with a line
 * number instead of hanging the command thread or killing it with a {@link StackOverflowError}.
 */
public final class YamlLimits {
    /** File size: checked before anything is parsed. */
    public static final int MAX_BYTES = 1 << 20;
    /** Mappings and lists inside each other, counted from the document root (aliases included). */
    public static final int MAX_DEPTH = 64;
    /**
     * Characters of one line and of one value. SnakeYAML's reader copies an unfinished token on every buffer refill,
     * so one long token costs quadratic time (a 3 MB value took 15 s); short lines keep that small.
     */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    /** References ({@code *name}) to mappings or lists: each can multiply what the binder walks. */
    public static final int MAX_ALIASES = 50;
    /**
     * Values the binder may visit per node of the document, aliases expanded and defaults filled in: a record whose
     * every field takes its default costs a few dozen visits for a handful of nodes, an alias bomb costs millions
     * for a few hundred. Bounding the ratio keeps binding linear in the file whatever the aliases do.
     */
    public static final int VALUES_PER_NODE = 32;
    /** Visits allowed whatever the document's size (a small file of all-default records). */
    public static final int MIN_VALUES = 10_000;
    /** Errors collected before binding stops: past this the file is not the one meant, and the list helps nobody. */
    public static final int MAX_ERRORS = 100;

    private YamlLimits() {
    }
}
