/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.plc.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.ConfigException;
import io.linesight.config.station.SparkplugConfig;
import io.linesight.config.station.StationConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkplugConfigTest {
    private static final String STATION = """
            line: l1
            station: s1
            cameras:
              - {id: top, driver: synthetic, width: 640, height: 480}
            """;

    @TempDir
    Path dir;

    @Test
    void absent_meansNoSparkplugNamespace() throws Exception {
        assertThat(StationConfigLoader.parse(STATION, "station.yaml", dir).config().sparkplug()).isNull();
    }

    @Test
    void present_bindsWithDefaults() throws Exception {
        SparkplugConfig sp = StationConfigLoader.parse(STATION + "sparkplug: {groupId: plant1, primaryHostId: scada}\n",
                "station.yaml", dir).config().sparkplug();
        assertThat(sp).isNotNull();
        assertThat(sp.groupId()).isEqualTo("plant1");
        assertThat(sp.edgeNodeId()).isNull();
        assertThat(sp.primaryHostId()).isEqualTo("scada");
        assertThat(sp.keepAliveS()).isEqualTo(5);
        assertThat(sp.queue()).isEqualTo(1000);
    }

    @Test
    void anIdThatIsNotATopicLevel_isRefusedNamingTheField() {
        assertThatThrownBy(() -> StationConfigLoader.parse(STATION + "sparkplug: {edgeNodeId: a/b}\n", "station.yaml", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sparkplug.edgeNodeId");
    }
}
