/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.io.Serial;

/**
 * A document passed one of the {@link YamlLimits}. Unchecked only so that it can leave SnakeYAML's composer, which
 * calls {@link LimitedParser}; {@link YamlReader} turns it into a ConfigException before it reaches anyone else.
 */
final class YamlLimitException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int line;

    YamlLimitException(int line, String reason) {
        super(reason, null, false, false);
        this.line = line;
    }

    int line() {
        return line;
    }
}
