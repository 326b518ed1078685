/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import java.io.Serial;

/**
 * A path given in a recipe (or a recipe name) cannot be used in the recipe store. {@link #getMessage()} is phrased to
 * follow the path as the user wrote it: {@code models/m.onnx does not exist in the recipe store recipes}.
 */
public final class StorePathException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why, as a caller may need to tell apart (a missing golden image means "teach first"). */
    public enum Kind {
        /** Not a path at all: empty, or a character the file system refuses (NUL). */
        INVALID,
        /** Absolute, climbing out with {@code ..}, or leading out through a symbolic link. */
        OUTSIDE,
        /** Inside the store, but nothing is there (or a symbolic link points at nothing). */
        MISSING,
        /** Something is there, but not a regular file (a folder, a device). */
        NOT_A_FILE,
        /** The store itself is missing or unreadable. */
        STORE_UNUSABLE
    }

    private final Kind kind;

    public StorePathException(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
