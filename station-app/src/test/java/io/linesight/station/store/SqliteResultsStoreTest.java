/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.linesight.config.station.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the results store on SQLite should")
class SqliteResultsStoreTest extends ResultsStoreContract {

    @Override
    ResultsStore openEmpty(Path dataDir) throws Exception {
        return ResultsStore.open(new StorageConfig(null, null, null, 2048, 30), dataDir, "l1", "s1", null);
    }

    @Override
    ResultsStore openAgain() throws Exception {
        return ResultsStore.openSqlite(dir.resolve("data"), "l1", "s1");
    }

    @Override
    ResultsStore otherStation() throws Exception {
        return ResultsStore.openSqlite(dir.resolve("data"), "l1", "s2");
    }

    @Test
    void emptyJdbcUrl_meansResultsDbInTheDataDirectory() {
        assertThat(store.engine()).isEqualTo(StoreEngine.SQLITE);
        assertThat(Files.exists(dir.resolve("data").resolve("results.db"))).isTrue();
    }
}
