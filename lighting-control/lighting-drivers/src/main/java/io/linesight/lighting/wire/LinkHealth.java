/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.lighting.wire;

import io.linesight.lighting.api.LightHealth;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health one {@link WireLightController} reports, and the log line of each change: a WARN when the controller
 * stops answering, an INFO when it is back. Written under the controller's exchange lock, read from any thread.
 */
final class LinkHealth {
    private static final Logger LOG = LoggerFactory.getLogger(LinkHealth.class);

    private final String lightId;
    private volatile LightHealth state = LightHealth.OK;

    LinkHealth(String lightId) {
        this.lightId = lightId;
    }

    LightHealth get() {
        return state;
    }

    /** An exchange succeeded. */
    void ok() {
        if (state instanceof LightHealth.Fault fault) {
            state = LightHealth.OK;
            LOG.atInfo().addKeyValue("light", lightId).addKeyValue("faultMs", Duration.between(fault.since(), Instant.now()).toMillis())
                    .log("light controller answers again");
        }
    }

    /** An exchange failed; the fault keeps the time it began, the reason is the latest. */
    void fault(String reason) {
        LightHealth before = state;
        if (before instanceof LightHealth.Fault fault) {
            state = new LightHealth.Fault(reason, fault.since());
            return;
        }
        state = new LightHealth.Fault(reason, Instant.now());
        LOG.atWarn().addKeyValue("light", lightId).addKeyValue("reason", reason).log("light controller in fault");
    }
}
