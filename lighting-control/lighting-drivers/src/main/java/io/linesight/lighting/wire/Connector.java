/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import java.io.IOException;

/** Opens a fresh {@link Transport} to one controller; called again for every reconnect. */
public interface Connector {

    /** Connects within {@code timeoutMs} or throws. */
    Transport connect(int timeoutMs) throws IOException;

    /** For messages: {@code tcp 10.0.0.5:30313}. */
    String describe();
}
