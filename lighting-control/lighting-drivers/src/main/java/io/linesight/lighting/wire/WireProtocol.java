/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.config.recipe.LightSetting;
import io.linesight.lighting.api.LightException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * What a controller's text protocol says, apart from how bytes travel. Called by {@link WireLightController} on the
 * apply thread only; implementations may keep state without locking.
 */
public interface WireProtocol {

    /**
     * The exact text (line ending included) that puts {@code channel} into {@code setting}. It is also the key for
     * skipping a round trip: two settings that give the same command are the same setting on the wire.
     *
     * @throws LightException {@link LightException.Code#BAD_SETTING} for a setting this controller cannot express
     */
    String command(int channel, LightSetting setting) throws LightException;

    /**
     * Reads the reply to {@code command} and returns once the controller acknowledged it.
     *
     * @throws RefusedReply         when the reply is an error
     * @throws ReplyTimeoutException when the deadline passes first (thrown by {@code replies})
     * @throws IOException          when the link breaks
     */
    void awaitAcknowledgement(String command, ReplyReader replies) throws IOException, RefusedReply;

    /**
     * Runs after every (re)connect, before the first command: proves a controller answers and says what it is.
     *
     * @return a description to log (firmware version), or null
     */
    default @Nullable String greet(Transport transport, ReplyReader replies) throws IOException, RefusedReply {
        return null;
    }

    /**
     * A harmless query (line ending included) sent when the link has been silent for the poll period, so that a dead
     * controller is noticed and the controller does not close an idle link. Its reply is read with
     * {@link #awaitAcknowledgement}. Null when this protocol has none: then only whether the link is still open is
     * checked.
     */
    default @Nullable String keepAliveCommand() {
        return null;
    }

    /** Appended to a timeout message, e.g. which reply pattern was awaited. */
    default String awaitedReply() {
        return "";
    }
}
