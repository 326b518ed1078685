/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linesight.config.station.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("the results store on a real PostgreSQL should")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresResultsStoreTest extends ResultsStoreContract {
    PostgresServer pg;

    @BeforeAll
    void startServer() throws Exception {
        pg = PostgresServer.start("contract");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    StorageConfig config(Path configDir) throws IOException {
        Files.createDirectories(configDir);
        Files.writeString(configDir.resolve("db.password"), PostgresServer.PASSWORD + "\n");
        return new StorageConfig(pg.jdbcUrl(), PostgresServer.USER, "db.password", 2048, 30);
    }

    @Override
    ResultsStore openEmpty(Path dataDir) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        return ResultsStore.open(config(dir.resolve("config")), dataDir, "l1", "s1", dir.resolve("config"));
    }

    @Override
    ResultsStore openAgain() throws Exception {
        return ResultsStore.open(config(dir.resolve("config")), dir.resolve("data"), "l1", "s1", dir.resolve("config"));
    }

    @Override
    ResultsStore otherStation() throws Exception {
        return ResultsStore.open(config(dir.resolve("config")), dir.resolve("data"), "l1", "s2", dir.resolve("config"));
    }

    @Test
    void jdbcUrl_choosesPostgresql_withThePasswordFromTheConfiguredFile() {
        assertThat(store.engine()).isEqualTo(StoreEngine.POSTGRESQL);
        assertThat(Files.exists(dir.resolve("data").resolve("results.db"))).isFalse();
    }

    @Test
    void wrongPassword_isRefusedNamingTheDatabase() throws Exception {
        Files.writeString(dir.resolve("wrong.password"), "nope");
        StorageConfig wrong = new StorageConfig(pg.jdbcUrl(), PostgresServer.USER, "wrong.password", 2048, 30);
        assertThatThrownBy(() -> ResultsStore.open(wrong, dir.resolve("d2"), "l1", "s1", dir))
                .isInstanceOf(IOException.class).hasMessageContaining(pg.jdbcUrl()).hasMessageContaining("password");
    }
}
