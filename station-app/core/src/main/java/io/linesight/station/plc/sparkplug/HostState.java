/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads a primary host's STATE message: Sparkplug 3.0's JSON {@code {"online":true,"timestamp":…}}, or the plain
 * {@code ONLINE} / {@code OFFLINE} of Sparkplug 2.2 hosts.
 */
final class HostState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostState() {
    }

    /** Whether the host is online; null when the payload is neither form (it is then ignored, not guessed). */
    static @Nullable Boolean online(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        if (text.equalsIgnoreCase("ONLINE")) {
            return true;
        }
        if (text.equalsIgnoreCase("OFFLINE")) {
            return false;
        }
        try {
            JsonNode n = JSON.readTree(text);
            JsonNode online = n == null ? null : n.get("online");
            return online != null && online.isBoolean() ? online.booleanValue() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
