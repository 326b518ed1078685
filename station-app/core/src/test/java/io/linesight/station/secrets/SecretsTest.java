/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StorageConfig;
import io.linesight.station.store.ResultsStore;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("redaction should")
class SecretsTest {
    @Test
    void brokerUrl_withUserAndPassword_keepsUserAndHost_masksThePassword() {
        assertThat(Secrets.redact("ssl://station:s3cr%40t@broker.plant.local:8883"))
                .isEqualTo("ssl://station:***@broker.plant.local:8883");
        assertThat(Secrets.redact("tcp://plc:p@ss@10.0.0.5:1883")).isEqualTo("tcp://plc:***@10.0.0.5:1883");
    }

    @Test
    void jdbcUrl_passwordParameters_areMasked_whereverTheyStand() {
        assertThat(Secrets.redact("jdbc:postgresql://db:5432/linesight?user=ls&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/linesight?user=ls&password=***&ssl=true");
        assertThat(Secrets.redact("jdbc:postgresql://db/ls?PASSWORD=x&sslpassword=y"))
                .isEqualTo("jdbc:postgresql://db/ls?PASSWORD=***&sslpassword=***");
        assertThat(Secrets.redact("jdbc:sqlserver://db;user=ls;password=hunter2;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db;user=ls;password=***;encrypt=true");
        assertThat(Secrets.redact("jdbc:postgresql://ls:hunter2@db/ls")).isEqualTo("jdbc:postgresql://ls:***@db/ls");
    }

    @Test
    void messages_withUrlsInside_areMasked_andEverythingElseStays() {
        assertThat(Secrets.redact("cannot open results database jdbc:postgresql://db/ls?password=hunter2: refused"))
                // a password may hold ':' so the mask runs to the next blank or separator: safe rather than pretty
                .isEqualTo("cannot open results database jdbc:postgresql://db/ls?password=*** refused")
                .doesNotContain("hunter2");
        assertThat(Secrets.redact("broker tcp://127.0.0.1:1883 not connected (3 verdicts waiting)"))
                .isEqualTo("broker tcp://127.0.0.1:1883 not connected (3 verdicts waiting)");
        assertThat(Secrets.redact("jdbc:sqlite:/var/lib/linesight/results.db")).isEqualTo("jdbc:sqlite:/var/lib/linesight/results.db");
        assertThat(Secrets.redact("mail ops@plant.local about user=ls")).isEqualTo("mail ops@plant.local about user=ls");
        assertThat(Secrets.redactNullable(null)).isNull();
    }

    @Test
    void resultsStore_namesItsDatabase_inMessagesAndTheAuditTrail_withoutThePassword(@TempDir Path dir) throws Exception {
        // nothing listens on port 1: opened lazily, the store starts and describes itself for logs and alarms
        try (ResultsStore store = ResultsStore.openLazily(new StorageConfig(
                "jdbc:postgresql://127.0.0.1:1/ls?user=ls&password=hunter2", null, null, 64, 1), dir, "l", "s", null)) {
            assertThat(store.description()).isEqualTo("jdbc:postgresql://127.0.0.1:1/ls?user=ls&password=***");
        }
    }
}
