/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HostStateTest {

    private static Boolean online(String s) {
        return HostState.online(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsSparkplug3JsonAndThePlainFormOfOlderHosts() {
        assertThat(online("{\"online\":true,\"timestamp\":1700000000000}")).isTrue();
        assertThat(online("{\"online\":false,\"timestamp\":1700000000000}")).isFalse();
        assertThat(online("ONLINE")).isTrue();
        assertThat(online("OFFLINE")).isFalse();
    }

    @Test
    void somethingElse_isNotGuessed() {
        assertThat(online("{\"timestamp\":1}")).isNull();
        assertThat(online("{\"online\":\"yes\"}")).isNull();
        assertThat(online("maybe")).isNull();
    }
}
