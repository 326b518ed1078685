/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.recipe;

import io.linesight.config.recipe.StorePathException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path written in a recipe (model, taught images) or a recipe's file name inside the recipe store, and
 * refuses it unless the file it really names lies in the store. The check follows symbolic links
 * ({@link Path#toRealPath}), so a link inside the store that points elsewhere is refused like {@code ../x} or an
 * absolute path; a lexical check alone lets such a link read or overwrite any file the station may touch.
 *
 * <p>Stateless; the answer is about the file system at the moment of the call.
 */
public final class StorePaths {
    private StorePaths() {
    }

    /**
     * Where {@code value} leads inside {@code store}, as a real path. The file need not exist (teach writes new
     * images), but every folder on the way that exists is followed to where it really is.
     *
     * @throws StorePathException when the path is not valid, leads outside the store, or goes through a symbolic link
     *                            that points at nothing
     */
    public static Path resolve(Path store, String value) throws StorePathException {
        Path relative = parse(store, value);
        Path root = root(store);
        // ".." is refused even when it stays inside: through a link it climbs from where the link points.
        for (Path name : relative) {
            if (name.toString().equals("..")) {
                throw outside(store, value);
            }
        }
        Path candidate = root.resolve(relative).normalize();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = candidate;
        Path real;
        while (true) {
            try {
                real = existing.toRealPath();
                break;
            } catch (NoSuchFileException e) {
                if (Files.isSymbolicLink(existing)) {
                    throw new StorePathException(Kind.MISSING, "goes through a symbolic link that points at nothing ("
                            + root.relativize(existing) + " in the recipe store " + store + ")");
                }
                missing.push(existing.getFileName());
                existing = existing.getParent();
                if (existing == null) {
                    throw new StorePathException(Kind.STORE_UNUSABLE, "cannot be checked: the recipe store " + store
                            + " disappeared");
                }
            } catch (IOException | SecurityException e) {
                throw new StorePathException(Kind.INVALID, "cannot be resolved in the recipe store " + store + ": " + e);
            }
        }
        while (!missing.isEmpty()) {
            real = real.resolve(missing.pop());
        }
        if (!real.startsWith(root)) {
            throw new StorePathException(Kind.OUTSIDE, "must be a path inside the recipe store " + store
                    + " (it leads to " + real + " through a symbolic link)");
        }
        return real;
    }

    /**
     * The regular file {@code value} names inside {@code store}, as a real path.
     *
     * @throws StorePathException as {@link #resolve}, and when nothing is there or it is not a regular file
     */
    public static Path existingFile(Path store, String value) throws StorePathException {
        Path real = resolve(store, value);
        if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorePathException(Kind.MISSING, "does not exist in the recipe store " + store);
        }
        if (!Files.isRegularFile(real)) {
            throw new StorePathException(Kind.NOT_A_FILE, "is not a file in the recipe store " + store);
        }
        return real;
    }

    private static Path parse(Path store, String value) throws StorePathException {
        if (value.isBlank()) {
            throw new StorePathException(Kind.INVALID, "is not a path (it is empty)");
        }
        Path relative;
        try {
            relative = Path.of(value);
        } catch (InvalidPathException e) {
            throw new StorePathException(Kind.INVALID, "is not a valid path (" + e.getReason() + ")");
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw outside(store, value);
        }
        return relative;
    }

    private static Path root(Path store) throws StorePathException {
        try {
            return store.toRealPath();
        } catch (NoSuchFileException e) {
            throw new StorePathException(Kind.STORE_UNUSABLE, "cannot be checked: the recipe store " + store
                    + " does not exist");
        } catch (IOException | SecurityException e) {
            throw new StorePathException(Kind.STORE_UNUSABLE, "cannot be checked: the recipe store " + store
                    + " cannot be read (" + e + ")");
        }
    }

    private static StorePathException outside(Path store, String value) {
        return new StorePathException(Kind.OUTSIDE, "must be a path inside the recipe store " + store);
    }
}
