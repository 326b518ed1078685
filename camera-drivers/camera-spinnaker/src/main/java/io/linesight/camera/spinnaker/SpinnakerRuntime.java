/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.camera.spinnaker;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether the Spinnaker SDK's C library is installed, found once and lazily without initialising any class of the
 * JavaCPP presets (their static initialisers throw when the SDK is missing). Nothing here throws.
 */
final class SpinnakerRuntime {
    static final String MISSING = "spinnaker: SDK not found (libSpinnaker_C.so)";
    /** Names the SDK installs (unversioned link from the -dev part, or the runtime's soname). */
    static final List<String> LIBRARY_NAMES = List.of("libSpinnaker_C.so", "libSpinnaker_C.so.4",
            "libSpinnaker_C.so.3");

    private SpinnakerRuntime() {
    }

    private static final class Holder {
        static final @Nullable String FOUND = find();
        static final String REASON = FOUND != null ? "" : MISSING;
    }

    /** The library name that loaded, or null. */
    static @Nullable String library() {
        return Holder.FOUND;
    }

    static boolean available() {
        return Holder.FOUND != null;
    }

    static String unavailableReason() {
        return Holder.REASON;
    }

    // dlopen through FFM is only a probe here: the presets do the real binding
    @SuppressWarnings("restricted")
    private static @Nullable String find() {
        for (String name : LIBRARY_NAMES) {
            try {
                SymbolLookup lib = SymbolLookup.libraryLookup(name, Arena.global());
                if (lib.find("spinSystemGetInstance").isPresent()) {
                    return name;
                }
            } catch (IllegalArgumentException | IllegalCallerException | UnsatisfiedLinkError e) {
                // not this name (or native access disabled): try the next, then report missing
            }
        }
        return null;
    }
}
